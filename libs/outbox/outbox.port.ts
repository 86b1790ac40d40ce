/** Port: delivers rendered messages (dunning reminders) to customers. Bound by the OUTBOX token. */
export const OUTBOX = Symbol('OUTBOX');

export interface OutboxMessage {
  /** Stable id (the ReminderSent event id): delivering the same id twice sends it once. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** For the file name and the logs. */
  customerId: string;
  invoiceId: string;
  /** Files sent with the message: the reminder's letter as a PDF. */
  attachments?: OutboxAttachment[];
}

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface Outbox {
  /** Delivers the message unless a message with this id was already delivered; returns false when it was. */
  deliver(message: OutboxMessage): Promise<boolean>;
}
