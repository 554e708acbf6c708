//! Currencies and salary periods, and how the site prints amounts in each language.

use std::fmt;
use std::str::FromStr;

use super::Lang;
use super::stored_code::stored_codes;

stored_codes! {
    /// An ISO 4217 currency code the site knows how to print.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Currency {
        Eur = "EUR",
        Usd = "USD",
        Gbp = "GBP",
        Chf = "CHF",
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown currency `{0}`: use one of EUR, USD, GBP, CHF")]
pub struct CurrencyError(pub String);

impl Currency {
    fn symbol(self) -> &'static str {
        match self {
            Currency::Eur => "€",
            Currency::Usd => "$",
            Currency::Gbp => "£",
            Currency::Chf => "CHF",
        }
    }

    /// An amount as a reader of `lang` expects it: `€45,000` in English, `45.000 €` in German.
    pub fn format(self, amount: u32, lang: Lang) -> String {
        match lang {
            Lang::En => {
                let digits = group_thousands(amount, ',');
                match self {
                    Currency::Chf => format!("CHF {digits}"),
                    _ => format!("{}{digits}", self.symbol()),
                }
            }
            Lang::De => format!("{}\u{a0}{}", group_thousands(amount, '.'), self.symbol()),
        }
    }
}

fn group_thousands(amount: u32, separator: char) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

impl FromStr for Currency {
    type Err = CurrencyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s).ok_or_else(|| CurrencyError(s.to_owned()))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

stored_codes! {
    /// What span of time a salary figure covers.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum SalaryPeriod {
        Year = "year",
        Month = "month",
        Day = "day",
        Hour = "hour",
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown salary period `{0}`: use \"year\", \"month\", \"day\" or \"hour\"")]
pub struct SalaryPeriodError(pub String);

impl FromStr for SalaryPeriod {
    type Err = SalaryPeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SalaryPeriod::from_code(s).ok_or_else(|| SalaryPeriodError(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_formatted_for_the_readers_language() {
        assert_eq!(Currency::Eur.format(45_000, Lang::En), "€45,000");
        assert_eq!(Currency::Eur.format(45_000, Lang::De), "45.000\u{a0}€");
        assert_eq!(Currency::Usd.format(130_000, Lang::En), "$130,000");
        assert_eq!(Currency::Usd.format(1_250_000, Lang::De), "1.250.000\u{a0}$");
        assert_eq!(Currency::Chf.format(95_000, Lang::En), "CHF 95,000");
        assert_eq!(Currency::Gbp.format(900, Lang::En), "£900");
    }

    #[test]
    fn unknown_currency_codes_are_rejected() {
        assert!("eur".parse::<Currency>().is_err());
        assert!("XYZ".parse::<Currency>().is_err());
        assert_eq!("CHF".parse::<Currency>(), Ok(Currency::Chf));
    }
}
