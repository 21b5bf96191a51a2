/** Check digits and date checks for the ID-like numbers. Inputs are ASCII digit strings (X for an id card's check char). */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** A real calendar day; with no year (null), 2月29日 is allowed. */
export function isValidDate(year: number | null, month: number, day: number): boolean {
  if (!Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 ? (year === null || isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

const num = (s: string, from: number, len: number) => Number(s.slice(from, from + len));

/** GB 11643-1999: 17 digits + check char (ISO 7064 MOD 11-2), birth date at 6..13 in 1900–2099, area code not starting with 0 or 9. */
export function isValidIdCard18(s: string): boolean {
  if (!/^[1-8]\d{16}[\dX]$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  if (ID_CHECK_CHARS[sum % 11] !== s[17]) return false;
  const year = num(s, 6, 4);
  return year >= 1900 && year <= 2099 && isValidDate(year, num(s, 10, 2), num(s, 12, 2));
}

/** The old 15-digit card (before 1999): no check digit, birth date YYMMDD (19YY) at 6..11. */
export function isValidIdCard15(s: string): boolean {
  return /^[1-8]\d{14}$/.test(s) && isValidDate(1900 + num(s, 6, 2), num(s, 8, 2), num(s, 10, 2));
}

/** The Luhn (mod 10) check of card numbers. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}
