//! Where a lead stands in the staff's work, and the moves the workflow allows from there.

/// Where a lead stands in the staff's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadStatus {
    New,
    Contacted,
    Qualified,
    Won,
    Lost,
    Spam,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 6] = [
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Qualified,
        LeadStatus::Won,
        LeadStatus::Lost,
        LeadStatus::Spam,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Contacted => "contacted",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Won => "won",
            LeadStatus::Lost => "lost",
            LeadStatus::Spam => "spam",
        }
    }

    pub fn from_code(code: &str) -> Option<LeadStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

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
