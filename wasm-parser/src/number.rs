//! Decimal text to `f64`, correctly rounded (round half to even), without
//! the standard library's conversion, whose 128-bit power-of-five table
//! would be a quarter of the WebAssembly module. Numbers in scenes are short,
//! so almost all take the exact fast path; the rest use decimal shifting
//! (the "simple decimal conversion" of Go's strconv), slow but exact.
//!
//! Input is what the lexer accepts as a number (LEX4): ASCII digits with an
//! optional `.` fraction and an optional `e`/`E` exponent with a sign.
//! A result of infinity means the number is too large.

/// Digits kept by the slow path: enough for exact rounding of any f64.
const MAX_DIGITS: usize = 800;
/// Beyond this decimal exponent a number is zero or infinite for sure.
const DECIMAL_POINT_RANGE: i32 = 2047;
/// Largest shift per step: keeps `(9 << shift) + carry` within u64.
const MAX_SHIFT: u32 = 59;
const MANTISSA_BITS: u32 = 52;
const MIN_EXPONENT: i32 = -1022;
const INFINITE_POWER: i32 = 0x7FF;

/// Exact powers of ten representable in f64 (10^0 ..= 10^22).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parses a number as the lexer accepts it (LEX4): decimal, or `0x` and
/// hex digits. `None` if the text is not a number. Never panics.
pub fn parse_number(text: &[u8]) -> Option<f64> {
    match text {
        [b'0', b'x' | b'X', digits @ ..] if !digits.is_empty() => {
            let mut value = 0f64;
            for &b in digits {
                let digit = match b {
                    b'0'..=b'9' => b - b'0',
                    b'a'..=b'f' => b - b'a' + 10,
                    b'A'..=b'F' => b - b'A' + 10,
                    _ => return None,
                };
                // Exact up to 2^53; beyond, each step rounds (hex literals that
                // large are not scene values).
                value = value * 16.0 + f64::from(digit);
            }
            Some(value)
        }
        _ => parse_f64(text),
    }
}

/// Bytes of `text` that are the number before a unit (`20m` -> 2, `1e3ms` -> 3,
/// `50%` -> 2), following the lexer's rules.
pub fn numeric_prefix(text: &[u8]) -> usize {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while at(i).is_ascii_digit() {
        i += 1;
    }
    if at(i) == b'.' && at(i + 1).is_ascii_digit() {
        i += 1;
        while at(i).is_ascii_digit() {
            i += 1;
        }
    }
    if matches!(at(i), b'e' | b'E') {
        let sign = usize::from(matches!(at(i + 1), b'+' | b'-'));
        if at(i + 1 + sign).is_ascii_digit() {
            i += 1 + sign;
            while at(i).is_ascii_digit() {
                i += 1;
            }
        }
    }
    i
}

/// Parses a decimal number token; `None` if the text is not a number in the
/// lexer's syntax. Never panics.
pub fn parse_f64(text: &[u8]) -> Option<f64> {
    if let Some(value) = short_fast_path(text) {
        return Some(value);
    }
    let decimal = Decimal::parse(text)?;
    if let Some(value) = decimal.fast_path() {
        return Some(value);
    }
    let mut decimal = decimal;
    Some(decimal.convert())
}

/// The common case without allocating: at most 15 digits, an optional
/// fraction, no exponent (e.g. `-0.35`'s digits `0.35`, `120`, `2.5`).
/// `None` sends the text to the general path.
fn short_fast_path(text: &[u8]) -> Option<f64> {
    let mut mantissa: u64 = 0;
    let mut digits = 0u32;
    let mut fraction: Option<u32> = None;
    for &b in text {
        match b {
            b'0'..=b'9' => {
                // Leading zeros are free; other digits count against the 15.
                if mantissa != 0 || b != b'0' {
                    digits += 1;
                }
                mantissa = mantissa * 10 + u64::from(b - b'0');
                if let Some(count) = fraction.as_mut() {
                    *count += 1;
                }
                if digits > 15 {
                    return None;
                }
            }
            b'.' if fraction.is_none() => fraction = Some(0),
            _ => return None,
        }
    }
    let scale = fraction.unwrap_or(0) as usize;
    if scale == 0 && fraction.is_some() && text.len() == 1 {
        return None;
    }
    let value = mantissa as f64;
    if scale == 0 {
        return if text.is_empty() { None } else { Some(value) };
    }
    POW10.get(scale).map(|p| value / p)
}

/// A decimal number `0.d1 d2 d3 ... × 10^decimal_point`, digits 0-9.
struct Decimal {
    digits: Vec<u8>,
    decimal_point: i32,
    /// Non-zero digits were dropped past `MAX_DIGITS`.
    truncated: bool,
}

impl Decimal {
    fn parse(text: &[u8]) -> Option<Decimal> {
        let mut digits = Vec::new();
        let mut decimal_point: i64 = 0;
        let mut seen_point = false;
        let mut seen_digit = false;
        let mut truncated = false;
        let mut i = 0;
        while let Some(&b) = text.get(i) {
            match b {
                b'0'..=b'9' => {
                    seen_digit = true;
                    if b == b'0' && digits.is_empty() {
                        // Leading zeros carry no digits; after the point they move it.
                        if seen_point {
                            decimal_point -= 1;
                        }
                    } else {
                        if digits.len() < MAX_DIGITS {
                            digits.push(b - b'0');
                        } else if b != b'0' {
                            truncated = true;
                        }
                        if !seen_point {
                            decimal_point += 1;
                        }
                    }
                }
                b'.' if !seen_point => seen_point = true,
                b'e' | b'E' => break,
                _ => return None,
            }
            i += 1;
        }
        if !seen_digit {
            return None;
        }
        if let Some(b'e') | Some(b'E') = text.get(i) {
            i += 1;
            let negative = text.get(i) == Some(&b'-');
            if matches!(text.get(i), Some(b'+') | Some(b'-')) {
                i += 1;
            }
            let mut exponent: i64 = 0;
            let mut any = false;
            while let Some(&b) = text.get(i) {
                if !b.is_ascii_digit() {
                    return None;
                }
                any = true;
                // Saturate: past the range the result is 0 or infinity anyway.
                exponent = (exponent * 10 + (b - b'0') as i64).min(1 << 40);
                i += 1;
            }
            if !any {
                return None;
            }
            decimal_point += if negative { -exponent } else { exponent };
        }
        while digits.last() == Some(&0) {
            digits.pop();
        }
        let limit = (DECIMAL_POINT_RANGE + 10) as i64;
        Some(Decimal {
            digits,
            decimal_point: decimal_point.clamp(-limit, limit) as i32,
            truncated,
        })
    }

    /// Clinger's fast path: up to 15 digits and a power of ten up to 10^22
    /// are exact doubles, and one multiplication or division rounds correctly.
    fn fast_path(&self) -> Option<f64> {
        if self.digits.is_empty() {
            return Some(0.0);
        }
        if self.truncated || self.digits.len() > 15 {
            return None;
        }
        let mut mantissa: u64 = 0;
        for &d in &self.digits {
            mantissa = mantissa * 10 + d as u64;
        }
        // value = mantissa × 10^(decimal_point - digit count)
        let exponent = self.decimal_point - self.digits.len() as i32;
        let value = mantissa as f64;
        if (0..=22).contains(&exponent) {
            POW10.get(exponent as usize).map(|p| value * p)
        } else if (-22..0).contains(&exponent) {
            POW10.get((-exponent) as usize).map(|p| value / p)
        } else {
            None
        }
    }

    fn convert(&mut self) -> f64 {
        if self.digits.is_empty() || self.decimal_point < -330 {
            return 0.0;
        }
        if self.decimal_point > 310 {
            return f64::INFINITY;
        }
        let mut exp2: i32 = 0;
        // Scale into [1/2, 1) by powers of two, tracking the binary exponent.
        while self.decimal_point > 0 {
            let shift = shift_for(self.decimal_point);
            self.right_shift(shift);
            exp2 += shift as i32;
        }
        while self.decimal_point < 0
            || (self.decimal_point == 0 && self.digits.first().map_or(false, |&d| d < 5))
        {
            let shift = if self.decimal_point == 0 {
                // 0.1 to 0.4: one or two doublings reach [1/2, 1).
                if self.digits.first().map_or(false, |&d| d < 2) {
                    2
                } else {
                    1
                }
            } else {
                shift_for(-self.decimal_point)
            };
            self.left_shift(shift);
            exp2 -= shift as i32;
        }
        // [1/2, 1) is [1, 2) with the exponent one lower.
        exp2 -= 1;
        while exp2 < MIN_EXPONENT {
            let shift = ((MIN_EXPONENT - exp2) as u32).min(MAX_SHIFT);
            self.right_shift(shift);
            exp2 += shift as i32;
        }
        if exp2 - MIN_EXPONENT + 1 >= INFINITE_POWER {
            return f64::INFINITY;
        }
        self.left_shift(MANTISSA_BITS + 1);
        let mut mantissa = self.round();
        if mantissa >= 1 << (MANTISSA_BITS + 1) {
            self.right_shift(1);
            exp2 += 1;
            mantissa = self.round();
            if exp2 - MIN_EXPONENT + 1 >= INFINITE_POWER {
                return f64::INFINITY;
            }
        }
        let mut biased = exp2 - MIN_EXPONENT + 1;
        if mantissa < 1 << MANTISSA_BITS {
            // Subnormal: no implicit leading bit.
            biased -= 1;
        }
        let bits = ((biased as u64) << MANTISSA_BITS) | (mantissa & ((1 << MANTISSA_BITS) - 1));
        f64::from_bits(bits)
    }

    /// Multiplies by 2^shift (shift <= MAX_SHIFT).
    fn left_shift(&mut self, shift: u32) {
        let mut out = Vec::with_capacity(self.digits.len() + 20);
        let mut carry: u64 = 0;
        // Multiply from the last digit, collecting result digits in reverse.
        for &d in self.digits.iter().rev() {
            let n = ((d as u64) << shift) + carry;
            out.push((n % 10) as u8);
            carry = n / 10;
        }
        let mut added = 0i32;
        while carry > 0 {
            out.push((carry % 10) as u8);
            carry /= 10;
            added += 1;
        }
        out.reverse();
        self.decimal_point += added;
        self.digits = out;
        self.trim();
    }

    /// Divides by 2^shift (shift <= MAX_SHIFT), by long division.
    fn right_shift(&mut self, shift: u32) {
        let mut read = 0usize;
        let mut n: u64 = 0;
        // Take leading digits until the running value reaches 2^shift.
        while n >> shift == 0 {
            match self.digits.get(read) {
                Some(&d) => n = n * 10 + d as u64,
                None => {
                    if n == 0 {
                        self.digits.clear();
                        return;
                    }
                    while n >> shift == 0 {
                        n *= 10;
                        read += 1;
                    }
                    break;
                }
            }
            read += 1;
        }
        self.decimal_point -= read as i32 - 1;
        let mask = (1u64 << shift) - 1;
        let mut out = Vec::with_capacity(self.digits.len() + 20);
        while let Some(&d) = self.digits.get(read) {
            out.push((n >> shift) as u8);
            n = (n & mask) * 10 + d as u64;
            read += 1;
        }
        while n > 0 {
            let digit = (n >> shift) as u8;
            if out.len() < MAX_DIGITS {
                out.push(digit);
            } else if digit > 0 {
                self.truncated = true;
            }
            n = (n & mask) * 10;
        }
        self.digits = out;
        self.trim();
    }

    fn trim(&mut self) {
        if self.digits.len() > MAX_DIGITS {
            if self.digits.iter().skip(MAX_DIGITS).any(|&d| d != 0) {
                self.truncated = true;
            }
            self.digits.truncate(MAX_DIGITS);
        }
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.decimal_point = 0;
        }
    }

    /// The integer part, rounded half to even (digits dropped earlier count
    /// as "more than half" through `truncated`).
    fn round(&self) -> u64 {
        if self.digits.is_empty() || self.decimal_point < 0 {
            return 0;
        }
        if self.decimal_point > 19 {
            return u64::MAX;
        }
        let point = self.decimal_point as usize;
        let mut n: u64 = 0;
        for i in 0..point {
            n = n * 10 + self.digits.get(i).copied().unwrap_or(0) as u64;
        }
        let round_up = match self.digits.get(point) {
            Some(&5) if point + 1 == self.digits.len() => {
                self.truncated
                    || point
                        .checked_sub(1)
                        .and_then(|i| self.digits.get(i))
                        .map_or(false, |&d| d % 2 == 1)
            }
            Some(&d) => d >= 5,
            None => false,
        };
        n + u64::from(round_up)
    }
}

/// How far to shift when the decimal point is `n` places from [1/2, 1):
/// 2^shift stays below 10^n, so one shift never overshoots.
fn shift_for(n: i32) -> u32 {
    const POWERS: [u32; 19] = [
        0, 3, 6, 9, 13, 16, 19, 23, 26, 29, 33, 36, 39, 43, 46, 49, 53, 56, 59,
    ];
    POWERS.get(n as usize).copied().unwrap_or(MAX_SHIFT)
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    fn check(text: &str) {
        let expected: f64 = text.parse().unwrap();
        let actual = parse_f64(text.as_bytes()).unwrap();
        assert_eq!(
            actual.to_bits(),
            expected.to_bits(),
            "{}: got {:e}, want {:e}",
            text,
            actual,
            expected
        );
    }

    #[test]
    fn matches_std_on_edge_cases() {
        for text in [
            "0",
            "000",
            "0.0",
            "1",
            "10",
            ".5",
            "0.1",
            "0.3",
            "1.5e3",
            "1e22",
            "1e23",
            "123456789012345678",
            "9007199254740993",
            "9007199254740992.5",
            "0.30000000000000004",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1e-400",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e309",
            "1e999999999999",
            "1e-999999999999",
            "7.038531e-26",
            "8.98846567431158e307",
            "179769313486231580793728971405301e276",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "0.000001",
            "1e-7",
            "123.456e-5",
            "4503599627370496.5",
            "4503599627370497.5",
        ] {
            check(text);
        }
    }

    #[test]
    fn matches_std_on_random_decimals() {
        let mut state: u64 = 0x1234_5678_9ABC_DEF1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..40_000 {
            let digits = 1 + (next() % 25) as usize;
            let mut text = String::new();
            for i in 0..digits {
                text.push((b'0' + (next() % 10) as u8) as char);
                if i == 0 && next() % 3 == 0 {
                    text.push('.');
                }
            }
            if next() % 2 == 0 {
                let exponent = (next() % 700) as i64 - 350;
                text.push_str(&format!("e{}", exponent));
            }
            check(&text);
        }
        // Shortest representations of random doubles (what printers emit).
        for _ in 0..40_000 {
            let value = f64::from_bits(next() & 0x7FEF_FFFF_FFFF_FFFF);
            let text = format!("{:e}", value);
            check(&text);
        }
    }

    #[test]
    fn rejects_non_numbers() {
        for text in ["", ".", "e5", "1e", "1e+", "1.2.3", "1x", "-1"] {
            assert_eq!(parse_f64(text.as_bytes()), None, "{}", text);
        }
    }
}
