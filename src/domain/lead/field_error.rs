//! Why a form was refused: the field at fault and the rule it broke, every one reported at once.

use std::collections::BTreeMap;

/// The inputs a visitor fills in, in the order the form shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Company,
    Name,
    Email,
    Phone,
    Role,
    Headcount,
    Engagement,
    WorkMode,
    Location,
    Start,
    Budget,
    Message,
}

impl Field {
    /// The input's `name` and the stem of its `id`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Company => "company",
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Role => "role",
            Field::Headcount => "headcount",
            Field::Engagement => "engagement",
            Field::WorkMode => "work_mode",
            Field::Location => "location",
            Field::Start => "start",
            Field::Budget => "budget",
            Field::Message => "message",
        }
    }
}

/// Why a value was refused; the interface turns it into a sentence in the visitor's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    Required,
    TooShort { min: usize },
    TooLong { max: usize },
    NotOneLine,
    InvalidEmail,
    InvalidPhone,
    InvalidChoice,
    OutOfRange { min: u32, max: u32 },
    InvalidDate,
    DateInPast,
}

pub type FieldErrors = BTreeMap<Field, FieldError>;
