import type { DocumentLanguage } from './identity';

/** The words printed on documents, French and English. Legal references are part of the mention. */
export const LABELS = {
  fr: {
    invoice: 'FACTURE', creditNote: 'AVOIR', statement: 'RELEVÉ DE COMPTE', number: 'Numéro', issueDate: "Date d'émission",
    saleDate: 'Date de la vente / prestation', dueDate: "Date d'échéance", seller: 'Vendeur', buyer: 'Client', customerId: 'Réf. client',
    siren: 'SIREN', siret: 'SIRET', vat: 'N° TVA intracommunautaire', capital: 'au capital de', description: 'Désignation', quantity: 'Qté',
    unitPrice: 'P.U. HT', taxRate: 'TVA', lineNet: 'Montant HT', vatBreakdown: 'Récapitulatif de la TVA', vatRate: 'Taux', vatBase: 'Base HT',
    vatAmount: 'Montant TVA', totalNet: 'Total HT', totalTax: 'Total TVA', totalGross: 'Total TTC', amountDue: 'Net à payer',
    paymentTerms: 'Conditions de paiement', dueOn: 'Échéance', vatOnReceipt: 'TVA acquittée sur les encaissements',
    iban: 'IBAN', bic: 'BIC', email: 'Courriel', page: 'Page', of: 'sur', reason: 'Motif', againstInvoice: 'Facture d’origine',
    appliedToInvoice: 'Imputé sur la facture', unapplied: 'Crédit disponible', period: 'Période', opening: 'Solde au', closing: 'Solde au',
    date: 'Date', piece: 'Pièce', label: 'Libellé', debit: 'Débit', credit: 'Crédit', balance: 'Solde', totals: 'Totaux',
    letterDate: 'Le', subject: 'Objet',
  },
  en: {
    invoice: 'INVOICE', creditNote: 'CREDIT NOTE', statement: 'STATEMENT OF ACCOUNT', number: 'Number', issueDate: 'Issue date',
    saleDate: 'Date of supply', dueDate: 'Due date', seller: 'Seller', buyer: 'Bill to', customerId: 'Customer ref.',
    siren: 'SIREN', siret: 'SIRET', vat: 'VAT number', capital: 'share capital', description: 'Description', quantity: 'Qty',
    unitPrice: 'Unit price', taxRate: 'VAT', lineNet: 'Net amount', vatBreakdown: 'VAT breakdown', vatRate: 'Rate', vatBase: 'Taxable amount',
    vatAmount: 'VAT amount', totalNet: 'Total net', totalTax: 'Total VAT', totalGross: 'Total incl. VAT', amountDue: 'Amount due',
    paymentTerms: 'Payment terms', dueOn: 'Due', vatOnReceipt: 'VAT due on receipt of payment',
    iban: 'IBAN', bic: 'BIC', email: 'E-mail', page: 'Page', of: 'of', reason: 'Reason', againstInvoice: 'Original invoice',
    appliedToInvoice: 'Applied to the invoice', unapplied: 'Credit available', period: 'Period', opening: 'Balance on', closing: 'Balance on',
    date: 'Date', piece: 'Document', label: 'Label', debit: 'Debit', credit: 'Credit', balance: 'Balance', totals: 'Totals',
    letterDate: 'Date', subject: 'Subject',
  },
} satisfies Record<DocumentLanguage, Record<string, string>>;

export type Labels = (typeof LABELS)['fr'];
