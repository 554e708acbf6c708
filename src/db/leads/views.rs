//! Page views per profile, language and day, and what staff read from them with the leads: the
//! figures of the stats page.

use std::collections::BTreeMap;

use diesel::prelude::*;
use time::{Date, Time};

use super::LeadStoreError;
use super::connection::{LeadConnection, WriteLock, write_transaction};
use crate::db::millis::millis;
use crate::db::schema::{leads, profile_views};
use crate::domain::lead::LeadStatus;
use crate::domain::stats::{ProfileStats, ViewedProfile};
use crate::domain::{Lang, Slug};

/// Adds `counts` to `day`'s rows. Read, then write, with the page views' key held, so instances
/// that share a PostgreSQL add to the same rows without losing each other's counts.
pub fn add_views(conn: &mut LeadConnection, day: Date, counts: &[(ViewedProfile, u64)]) -> Result<(), LeadStoreError> {
    let day = day.to_string();
    write_transaction(conn, WriteLock::Keys(&["profile_views"]), |conn| {
        for (viewed, count) in counts {
            let count = i64::try_from(*count).unwrap_or(i64::MAX);
            let row = profile_views::table.find((&day, viewed.lang.code(), viewed.slug.as_str()));
            let updated =
                diesel::update(row).set(profile_views::views.eq(profile_views::views + count)).execute(conn)?;
            if updated == 0 {
                diesel::insert_into(profile_views::table)
                    .values((
                        profile_views::day.eq(&day),
                        profile_views::lang.eq(viewed.lang.code()),
                        profile_views::profile_slug.eq(viewed.slug.as_str()),
                        profile_views::views.eq(count),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(())
    })
}

/// Views, leads and spam per profile and language from `first_day` (UTC) on, in no order.
pub fn profile_stats(conn: &mut LeadConnection, first_day: Date) -> Result<Vec<ProfileStats>, LeadStoreError> {
    let mut by_profile: BTreeMap<(Option<String>, String), ProfileCounts> = BTreeMap::new();
    let views: Vec<(String, String, i64)> = profile_views::table
        .filter(profile_views::day.ge(first_day.to_string()))
        .select((profile_views::profile_slug, profile_views::lang, profile_views::views))
        .load(conn)?;
    for (slug, lang, count) in views {
        by_profile.entry((Some(slug), lang)).or_default().views += u64::try_from(count).unwrap_or(0);
    }
    let since = millis(first_day.with_time(Time::MIDNIGHT).assume_utc());
    let arrived: Vec<(Option<String>, String, String)> = leads::table
        .filter(leads::created_at.ge(since))
        .select((leads::profile_slug, leads::page_lang, leads::status))
        .load(conn)?;
    for (slug, lang, status) in arrived {
        let counts = by_profile.entry((slug, lang)).or_default();
        if status == LeadStatus::Spam.code() {
            counts.spam += 1;
        } else {
            counts.leads += 1;
        }
    }
    by_profile.into_iter().map(|((slug, lang), counts)| counts.of(slug, &lang)).collect()
}

#[derive(Default)]
struct ProfileCounts {
    views: u64,
    leads: u64,
    spam: u64,
}

impl ProfileCounts {
    fn of(self, slug: Option<String>, lang: &str) -> Result<ProfileStats, LeadStoreError> {
        let corrupt = |problem: String| LeadStoreError::CorruptStats(problem);
        let profile = slug.map(|slug| Slug::parse(&slug).map_err(|e| corrupt(format!("{slug}: {e}")))).transpose()?;
        let lang = lang.parse::<Lang>().map_err(|e| corrupt(e.to_string()))?;
        Ok(ProfileStats { profile, lang, views: self.views, leads: self.leads, spam: self.spam })
    }
}
