/** maildev's JSON API (GET /email), as much of each caught mail as the tests look at. */
export interface CaughtMail {
  id: string;
  subject: string;
  to: { address: string; name?: string }[];
  html?: string;
  text?: string;
}

export async function caughtMails(mailWebUrl: string): Promise<CaughtMail[]> {
  const res = await fetch(`${mailWebUrl}/email`);
  if (res.status !== 200) throw new Error(`maildev GET /email answered ${res.status}`);
  return (await res.json()) as CaughtMail[];
}
