//! ISO 3166-1 alpha-2 country codes, for salary rows that describe one country.

use std::fmt;
use std::str::FromStr;

/// The officially assigned ISO 3166-1 alpha-2 codes, in alphabetical order.
const ASSIGNED: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
    DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU \
    ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
    LA LB LC LI LK LR LS LT LU LV LY \
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
    NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA \
    RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
    VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// An assigned ISO 3166-1 alpha-2 code, in capitals: `DE`, `GB`, `US`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not an ISO 3166-1 alpha-2 country code")]
pub struct CountryCodeError(pub String);

impl CountryCode {
    pub fn as_str(&self) -> &str {
        // Only ASCII capitals from `ASSIGNED` are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl FromStr for CountryCode {
    type Err = CountryCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.as_bytes() {
            &[a, b] if ASSIGNED.split_whitespace().any(|code| code == s) => Ok(CountryCode([a, b])),
            _ => Err(CountryCodeError(s.to_owned())),
        }
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_assigned_codes_in_capitals_are_country_codes() {
        assert_eq!(ASSIGNED.split_whitespace().count(), 249);
        for code in ["DE", "AT", "CH", "GB", "US", "ZW"] {
            assert_eq!(code.parse::<CountryCode>().map(|c| c.to_string()), Ok(code.to_owned()));
        }
        for code in ["de", "UK", "EU", "D", "DEU", "", "XX", "ÄÖ"] {
            assert!(code.parse::<CountryCode>().is_err(), "{code}");
        }
    }
}
