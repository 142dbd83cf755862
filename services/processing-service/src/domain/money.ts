/** One formatter per currency with its exponent: resolvedOptions() costs more than format() itself. */
const formatters = new Map<string, { format: (n: number) => string; scale: number }>();

function formatterFor(currency: string) {
  let f = formatters.get(currency);
  if (!f) {
    const nf = new Intl.NumberFormat('en', { style: 'currency', currency });
    f = { format: nf.format.bind(nf), scale: 10 ** (nf.resolvedOptions().maximumFractionDigits ?? 2) };
    formatters.set(currency, f);
  }
  return f;
}

/** Integer minor units -> "₹1,234.50"; the currency's own exponent decides (JPY has none). */
export function formatMoney(minorUnits: number, currency: string): string {
  const f = formatterFor(currency);
  return f.format(minorUnits / f.scale);
}
