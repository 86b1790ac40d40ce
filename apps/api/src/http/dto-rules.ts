/** Shapes checked at the edge; currency-dependent checks (decimals allowed) happen in the domain. */
export const AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;
export const AMOUNT_MESSAGE = '$property must be a non-negative decimal string such as "120.50"';
export const DECIMAL = /^\d{1,9}(\.\d{1,4})?$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_MESSAGE = '$property must be a calendar date YYYY-MM-DD';
export const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
export const ID_MESSAGE = '$property must be 1–100 letters, digits, "_", "-" or "." starting with a letter or digit';
