/** An object's (a call's) data key, wrapped under master key `keyId` (src/crypto/envelope.ts formatWrapped). */
export interface DataKeyRow {
  objectId: string;
  keyId: string;
  wrapped: string;
  createdAt: number;
}

/** Data keys of encryption at rest (src/crypto/encrypting-repositories.ts), one per object. */
export interface DataKeyRepository {
  getMany(objectIds: string[]): Promise<Map<string, DataKeyRow>>;
  /** Store the row unless the object has one; returns the stored row (the other writer's when it won a race). */
  insertIfAbsent(row: DataKeyRow): Promise<DataKeyRow>;
  /** Rows wrapped under another master key than `keyId`, ascending object id after `afterObjectId`: a rotation pages through them. */
  listNotWrappedWith(keyId: string, afterObjectId: string | null, limit: number): Promise<DataKeyRow[]>;
  countNotWrappedWith(keyId: string): Promise<number>;
  /** Replace the wrapping if it is still `expectedWrapped` (two rotations at once); false otherwise. */
  rewrap(objectId: string, expectedWrapped: string, next: { keyId: string; wrapped: string }): Promise<boolean>;
  /** Destroy the object's data key: what was encrypted with it can no longer be read, in backups too. */
  delete(objectId: string): Promise<void>;
}
