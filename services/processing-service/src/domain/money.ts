const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let f = formatters.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en', { style: 'currency', currency });
    formatters.set(currency, f);
  }
  return f;
}

/** Integer minor units -> "₹1,234.50"; the currency's own exponent decides (JPY has none). */
export function formatMoney(minorUnits: number, currency: string): string {
  const f = formatterFor(currency);
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minorUnits / 10 ** digits);
}
