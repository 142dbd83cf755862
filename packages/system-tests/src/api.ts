/** A thin JSON-over-HTTP client for driving the running services the way any client would. */
export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, otherwise the text. */
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

// Test code inspects arbitrary JSON; callers narrow it with expect() or a contracts schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type Api = <T = Json>(method: string, path: string, opts?: RequestOptions) => Promise<ApiResponse<T>>;

export function apiClient(baseUrl: string): Api {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    const isJson = /json/.test(res.headers.get('content-type') ?? '') && text.length > 0;
    return { status: res.status, headers: res.headers, body: isJson ? JSON.parse(text) : text };
  };
}
