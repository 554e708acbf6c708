//! Where a lead stands in the staff's work, and the moves the workflow allows from there.

use crate::domain::stored_code::stored_codes;

stored_codes! {
    /// Where a lead stands in the staff's work.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum LeadStatus {
        New = "new",
        Contacted = "contacted",
        Qualified = "qualified",
        Won = "won",
        Lost = "lost",
        Spam = "spam",
    }
}

impl LeadStatus {
    /// The workflow: new → contacted → qualified → won / lost; anything open can be marked
    /// spam or lost; a closed lead can be reopened as qualified, and spam can be restored.
    pub fn next(self) -> &'static [LeadStatus] {
        use LeadStatus::*;
        match self {
            New => &[Contacted, Lost, Spam],
            Contacted => &[Qualified, Lost, Spam],
            Qualified => &[Won, Lost, Spam],
            Won | Lost => &[Qualified],
            Spam => &[New],
        }
    }

    pub fn can_move_to(self, next: LeadStatus) -> bool {
        self.next().contains(&next)
    }
}
