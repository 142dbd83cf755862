/** Opaque keyset position: (createdAt, id) of the last row seen. */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

export interface PageRequest {
  after: PageCursor | null;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Present when more rows may follow. */
  next: PageCursor | null;
}
