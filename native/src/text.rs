//! JSON text pieces exactly as the pure-Python writer spells them.
//!
//! A string node's `s` is seroval's JS-escaped text (`escape_string` in
//! `protocol/model/strings.py`) and the JSON writer then escapes that text again
//! (`dumps_json`): both steps are fused here into one pass.  Numbers follow
//! ECMAScript `Number::toString`, as `js_number` does.

fn push_unicode_escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u00");
    out.push(HEX[usize::from(byte >> 4)]);
    out.push(HEX[usize::from(byte & 0xf)]);
}

/// Append the JSON literal of `escape_string(text)`: seroval's JS escapes, then JSON's.
pub fn node_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let escape: &[u8] = match byte {
            // JS `\"` then JSON: backslash and quote both escaped.
            b'"' => b"\\\\\\\"",
            b'\\' => b"\\\\\\\\",
            b'\n' => b"\\\\n",
            b'\r' => b"\\\\r",
            b'\t' => b"\\\\t",
            0x08 => b"\\\\b",
            0x0c => b"\\\\f",
            b'<' => b"\\\\x3C",
            0x00..=0x1f => {
                out.extend_from_slice(&bytes[start..index]);
                push_unicode_escape(out, byte);
                index += 1;
                start = index;
                continue;
            }
            // U+2028 and U+2029 are E2 80 A8 / E2 80 A9 in UTF-8.
            0xe2 if bytes.get(index + 1) == Some(&0x80)
                && matches!(bytes.get(index + 2), Some(0xa8) | Some(0xa9)) =>
            {
                if bytes[index + 2] == 0xa8 {
                    b"\\\\u2028"
                } else {
                    b"\\\\u2029"
                }
            }
            _ => {
                index += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..index]);
        out.extend_from_slice(escape);
        index += if byte == 0xe2 { 3 } else { 1 };
        start = index;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Append an integer in decimal.
pub fn int(out: &mut Vec<u8>, value: i64) {
    let mut buffer = itoa_buffer();
    out.extend_from_slice(format_int(&mut buffer, value));
}

fn itoa_buffer() -> [u8; 20] {
    [0; 20]
}

fn format_int(buffer: &mut [u8; 20], value: i64) -> &[u8] {
    let negative = value < 0;
    let mut magnitude = value.unsigned_abs();
    let mut position = buffer.len();
    loop {
        position -= 1;
        buffer[position] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    if negative {
        position -= 1;
        buffer[position] = b'-';
    }
    &buffer[position..]
}

/// Append a finite, non-zero double as ECMAScript `Number::toString` writes it.
pub fn js_number(out: &mut Vec<u8>, value: f64) {
    // ryu gives the shortest round-trip digits, ties to even, as Python's repr and
    // ECMAScript do (Rust's own `{:e}` breaks ties upward).
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(value);
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (mantissa, exponent) = body.split_once('e').unwrap_or((body, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = [whole, fraction].concat();
    let stripped = all.trim_start_matches('0');
    let n = whole.len() as i64 + exponent - (all.len() - stripped.len()) as i64;
    let digits = stripped.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let k = digits.len() as i64;
    // value == 0.<digits> * 10**n
    out.extend_from_slice(sign.as_bytes());
    if k <= n && n <= 21 {
        out.extend_from_slice(digits.as_bytes());
        out.extend(std::iter::repeat_n(b'0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.extend_from_slice(&digits.as_bytes()[..n as usize]);
        out.push(b'.');
        out.extend_from_slice(&digits.as_bytes()[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-n) as usize));
        out.extend_from_slice(digits.as_bytes());
    } else {
        let e = n - 1;
        out.push(digits.as_bytes()[0]);
        if k > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits.as_bytes()[1..]);
        }
        out.push(b'e');
        out.push(if e >= 0 { b'+' } else { b'-' });
        int(out, e.abs());
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `Date.prototype.toISOString` for a time value in milliseconds.
pub fn iso_from_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let (hours, rest) = (rest / 3_600_000, rest % 3_600_000);
    let (minutes, rest) = (rest / 60_000, rest % 60_000);
    let (seconds, millis) = (rest / 1000, rest % 1000);
    let year_text = if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{}{:06}", if year > 0 { "+" } else { "-" }, year.abs())
    };
    format!("{year_text}-{month:02}-{day:02}T{hours:02}:{minutes:02}:{seconds:02}.{millis:03}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(value: f64) -> String {
        let mut out = Vec::new();
        js_number(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_as_js_writes_them() {
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(1e-7), "1e-7");
        assert_eq!(number(0.000001), "0.000001");
        assert_eq!(number(1e21), "1e+21");
        assert_eq!(number(1e20), "100000000000000000000");
        assert_eq!(number(-123.456), "-123.456");
        assert_eq!(number(5e-324), "5e-324");
        assert_eq!(number(1.7976931348623157e308), "1.7976931348623157e+308");
        assert_eq!(number(-1916602775070536.2), "-1916602775070536.2");
        assert_eq!(number(0.001), "0.001");
        assert_eq!(number(123.0e-20), "1.23e-18");
    }

    #[test]
    fn strings_escaped_twice() {
        let mut out = Vec::new();
        node_string(&mut out, "a\"b\\c\n<\u{2028}\u{1}é");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a\\\\\\\"b\\\\\\\\c\\\\n\\\\x3C\\\\u2028\\u0001é\""
        );
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso_from_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_ms(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(
            iso_from_ms(253_402_300_800_000),
            "+010000-01-01T00:00:00.000Z"
        );
        assert_eq!(days_from_civil(2024, 2, 29), 19782);
    }
}
