import { XMLParser } from 'fast-xml-parser';

/**
 * The EN 16931-1 business rules this project checks on its CII (D16B) invoices, written from the standard's
 * rule list (EN 16931-1:2017 § 6.4, and the CEN/TS 16931-3-3 CII syntax binding). Amounts are compared in
 * hundredths as BigInt (BR-DEC-*: at most 2 decimals). Returns the violated rules with what was found.
 */
export interface Violation { rule: string; message: string }

type Node = Record<string, unknown>;
const ARRAYS = new Set(['IncludedSupplyChainTradeLineItem', 'ApplicableTradeTax', 'IncludedNote', 'SpecifiedTaxRegistration', 'SpecifiedTradeAllowanceCharge', 'SpecifiedTradePaymentTerms']);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, isArray: (name) => ARRAYS.has(name) });

export function parseCii(xml: string): Node {
  return parser.parse(xml).CrossIndustryInvoice as Node;
}

const at = (n: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Node)[k] : undefined), n);
const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'object' ? ((v as Node)['#text'] as string | undefined) : String(v));
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v === undefined ? [] : [v as Node]);

/** "1185.50" → 118550n; refuses more than 2 decimals (BR-DEC). */
export function cents(value: string | undefined, rule: string, out: Violation[]): bigint {
  if (value === undefined) return 0n;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) {
    out.push({ rule, message: `amount "${value}" has more than 2 decimals or is not a number` });
    return 0n;
  }
  const v = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -v : v;
}

/** round-half-up(base × percent / 100) in hundredths; percent with up to 4 decimals. */
function vatOf(base: bigint, percent: string): bigint {
  const [i, f = ''] = percent.split('.');
  const scaled = BigInt(i) * 10_000n + BigInt(f.padEnd(4, '0').slice(0, 4)); // percent × 10 000
  const num = base * scaled;
  const den = 100n * 10_000n;
  const neg = num < 0n;
  const q = ((neg ? -num : num) * 2n + den) / (2n * den);
  return neg ? -q : q;
}

export function checkEn16931(xml: string): Violation[] {
  const out: Violation[] = [];
  const inv = parseCii(xml);
  const need = (rule: string, value: unknown, what: string) => {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) out.push({ rule, message: `${what} is missing` });
  };
  const tx = at(inv, 'SupplyChainTradeTransaction') as Node;
  const agreement = at(tx, 'ApplicableHeaderTradeAgreement');
  const settlement = at(tx, 'ApplicableHeaderTradeSettlement');
  const sum = at(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  need('BR-01', text(at(inv, 'ExchangedDocumentContext', 'GuidelineSpecifiedDocumentContextParameter', 'ID')), 'Specification identifier (BT-24)');
  need('BR-02', text(at(inv, 'ExchangedDocument', 'ID')), 'Invoice number (BT-1)');
  need('BR-03', text(at(inv, 'ExchangedDocument', 'IssueDateTime', 'DateTimeString')), 'Invoice issue date (BT-2)');
  need('BR-04', text(at(inv, 'ExchangedDocument', 'TypeCode')), 'Invoice type code (BT-3)');
  need('BR-05', text(at(settlement, 'InvoiceCurrencyCode')), 'Invoice currency code (BT-5)');
  need('BR-06', text(at(agreement, 'SellerTradeParty', 'Name')), 'Seller name (BT-27)');
  need('BR-07', text(at(agreement, 'BuyerTradeParty', 'Name')), 'Buyer name (BT-44)');
  need('BR-08', at(agreement, 'SellerTradeParty', 'PostalTradeAddress'), 'Seller postal address (BG-5)');
  need('BR-09', text(at(agreement, 'SellerTradeParty', 'PostalTradeAddress', 'CountryID')), 'Seller country code (BT-40)');
  need('BR-10', at(agreement, 'BuyerTradeParty', 'PostalTradeAddress'), 'Buyer postal address (BG-8)');
  need('BR-11', text(at(agreement, 'BuyerTradeParty', 'PostalTradeAddress', 'CountryID')), 'Buyer country code (BT-55)');
  need('BR-12', text(at(sum, 'LineTotalAmount')), 'Sum of invoice line net amount (BT-106)');
  need('BR-13', text(at(sum, 'TaxBasisTotalAmount')), 'Invoice total amount without VAT (BT-109)');
  need('BR-14', text(at(sum, 'GrandTotalAmount')), 'Invoice total amount with VAT (BT-112)');
  need('BR-15', text(at(sum, 'DuePayableAmount')), 'Amount due for payment (BT-115)');
  const lines = list(at(tx, 'IncludedSupplyChainTradeLineItem'));
  if (lines.length === 0) out.push({ rule: 'BR-16', message: 'An invoice has at least one line (BG-25)' });
  let lineSum = 0n;
  const lineNetByRate = new Map<string, bigint>();
  for (const [i, l] of lines.entries()) {
    need('BR-21', text(at(l, 'AssociatedDocumentLineDocument', 'LineID')), `line ${i + 1}: identifier (BT-126)`);
    need('BR-22', text(at(l, 'SpecifiedLineTradeDelivery', 'BilledQuantity')), `line ${i + 1}: quantity (BT-129)`);
    need('BR-23', at(l, 'SpecifiedLineTradeDelivery', 'BilledQuantity', '@unitCode'), `line ${i + 1}: unit of measure (BT-130)`);
    const net = text(at(l, 'SpecifiedLineTradeSettlement', 'SpecifiedTradeSettlementLineMonetarySummation', 'LineTotalAmount'));
    need('BR-24', net, `line ${i + 1}: net amount (BT-131)`);
    need('BR-25', text(at(l, 'SpecifiedTradeProduct', 'Name')), `line ${i + 1}: item name (BT-153)`);
    const price = text(at(l, 'SpecifiedLineTradeAgreement', 'NetPriceProductTradePrice', 'ChargeAmount'));
    need('BR-26', price, `line ${i + 1}: item net price (BT-146)`);
    if (price !== undefined && cents(price, 'BR-DEC', out) < 0n) out.push({ rule: 'BR-27', message: `line ${i + 1}: net price ${price} is negative` });
    const tax = list(at(l, 'SpecifiedLineTradeSettlement', 'ApplicableTradeTax'))[0];
    need('BR-CO-04', text(at(tax, 'CategoryCode')), `line ${i + 1}: VAT category (BT-151)`);
    const n = cents(net, 'BR-DEC-23', out);
    lineSum += n;
    const key = `${text(at(tax, 'CategoryCode'))}|${Number(text(at(tax, 'RateApplicablePercent')) ?? '0')}`;
    lineNetByRate.set(key, (lineNetByRate.get(key) ?? 0n) + n);
  }
  const lineTotal = cents(text(at(sum, 'LineTotalAmount')), 'BR-DEC-09', out);
  const basis = cents(text(at(sum, 'TaxBasisTotalAmount')), 'BR-DEC-12', out);
  const taxTotal = cents(text(at(sum, 'TaxTotalAmount')), 'BR-DEC-13', out);
  const grand = cents(text(at(sum, 'GrandTotalAmount')), 'BR-DEC-14', out);
  const prepaid = cents(text(at(sum, 'TotalPrepaidAmount')), 'BR-DEC-16', out);
  const rounding = cents(text(at(sum, 'RoundingAmount')), 'BR-DEC-17', out);
  const due = cents(text(at(sum, 'DuePayableAmount')), 'BR-DEC-18', out);
  const allowances = cents(text(at(sum, 'AllowanceTotalAmount')), 'BR-DEC-10', out);
  const charges = cents(text(at(sum, 'ChargeTotalAmount')), 'BR-DEC-11', out);
  const eq = (rule: string, a: bigint, b: bigint, what: string) => { if (a !== b) out.push({ rule, message: `${what}: ${a} ≠ ${b} (hundredths)` }); };
  eq('BR-CO-10', lineTotal, lineSum, 'BT-106 = Σ BT-131');
  eq('BR-CO-13', basis, lineTotal - allowances + charges, 'BT-109 = BT-106 − BT-107 + BT-108');
  const breakdown = list(at(settlement, 'ApplicableTradeTax'));
  if (breakdown.length === 0) out.push({ rule: 'BR-CO-18', message: 'at least one VAT breakdown (BG-23)' });
  eq('BR-CO-14', taxTotal, breakdown.reduce((s, b) => s + cents(text(at(b, 'CalculatedAmount')), 'BR-DEC-20', out), 0n), 'BT-110 = Σ BT-117');
  eq('BR-CO-15', grand, basis + taxTotal, 'BT-112 = BT-109 + BT-110');
  eq('BR-CO-16', due, grand - prepaid + rounding, 'BT-115 = BT-112 − BT-113 + BT-114');
  for (const b of breakdown) {
    const rate = text(at(b, 'RateApplicablePercent')) ?? '0';
    const category = text(at(b, 'CategoryCode'));
    const base = cents(text(at(b, 'BasisAmount')), 'BR-DEC-19', out);
    eq('BR-CO-17', cents(text(at(b, 'CalculatedAmount')), 'BR-DEC-20', out), vatOf(base, rate), `VAT at ${rate} % = round(BT-116 × BT-119 / 100)`);
    if (category === 'S') eq('BR-S-08', base, lineNetByRate.get(`S|${Number(rate)}`) ?? 0n, `taxable amount at ${rate} % = Σ line nets at that rate`);
  }
  const seller = at(agreement, 'SellerTradeParty');
  const sellerVat = list(at(seller, 'SpecifiedTaxRegistration')).find((r) => at(r, 'ID', '@schemeID') === 'VA');
  if (!sellerVat && !at(seller, 'SpecifiedLegalOrganization', 'ID') && !at(seller, 'ID')) out.push({ rule: 'BR-CO-26', message: 'seller VAT identifier, legal registration or identifier' });
  if (breakdown.some((b) => text(at(b, 'CategoryCode')) === 'S') && !sellerVat) out.push({ rule: 'BR-S-02', message: 'standard-rated invoice without the seller VAT identifier (BT-31)' });
  const terms = list(at(settlement, 'SpecifiedTradePaymentTerms'))[0];
  if (due > 0n && !text(at(terms, 'DueDateDateTime', 'DateTimeString')) && !text(at(terms, 'Description'))) {
    out.push({ rule: 'BR-CO-25', message: 'a positive amount due needs a due date (BT-9) or payment terms (BT-20)' });
  }
  need('BR-49', text(at(settlement, 'SpecifiedTradeSettlementPaymentMeans', 'TypeCode')), 'Payment means type code (BT-81)');
  return out;
}
