/** The kinds of entity findEntities can report (see find-entities.ts for what each one is). */
export type EntityType = 'phone' | 'idCard' | 'bankCard' | 'orderNumber' | 'amount' | 'date';

export const ENTITY_TYPES: readonly EntityType[] = ['phone', 'idCard', 'bankCard', 'orderNumber', 'amount', 'date'];

export interface EntityMatch {
  type: EntityType;
  /** UTF-16 offsets into the original text, [start, end). */
  start: number;
  end: number;
  /**
   * Normalised: digits only for phone/idCard/bankCard (X kept for id cards; a masked number keeps
   * `*` where digits are hidden, 尾号 mentions give the digits said); the order number as written
   * (Chinese/full-width digits as ASCII); an amount in yuan as a decimal string ("3500", "12.5");
   * a date as YYYY-MM-DD, or MM-DD when no year is said.
   */
  value: string;
  /** Part of the number is hidden: 138****5678, 尾号1234, 后四位5678. */
  masked: boolean;
}
