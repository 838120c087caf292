//! Countries and provinces standing for their teams. In sports news a place name often
//! names the team (`法国、德国和英国队都是强队`, `北京、辽宁两队`, `德国与伊朗的比赛`), and the
//! People's Daily / MSRA convention tags it as an organisation, as it tags `英国队`. The
//! tagger reads most such places as places; what tells the team is the list they stand in:
//!
//! - a list of names (joined by 、, 和, 与, 及, 同) that holds a team (`英国队`, `巴西女排`) or
//!   runs into a team head (`辽宁、福建四队`, `韩国、荷兰等女队`): its places are teams;
//! - two names joined by 与, 和 or 同 before a word for their match (`德国与伊朗的比赛`,
//!   `俄罗斯与美国之战`): both are teams.
//!
//! A list after a word that locates (`在古巴和美国训练比赛`, `对美国和加拿大的访问比赛`) names
//! where something happens, and stays places. The cue words are `team_*`, `match_word` and
//! `locative_before` of `data/entity_cues.tsv`.

use super::cues::{cues, ends_with_any, starts_with_any};
use super::gazetteer::gazetteer;
use crate::document::EntityType;
use crate::recognize::MentionCandidate;

/// Most characters between a pair and its match word (`德国与伊朗今天的比赛`).
const MATCH_GAP_CHARS: usize = 6;

/// Retypes as organisations the places that stand for teams in `mentions` (arbitrated:
/// sorted by start, not overlapping, offsets into `text`), and returns their indices in
/// order (with those of listed places the tagger already read as organisations), so that
/// coreference keeps each team apart from its place.
pub(crate) fn retype_teams(text: &str, mentions: &mut [MentionCandidate]) -> Vec<usize> {
    let mut retyped = Vec::new();
    let mut start = 0;
    while start < mentions.len() {
        let end = list_end(text, mentions, start);
        let list = &mentions[start..end];
        if list.len() >= 2
            && list
                .iter()
                .any(|m| m.kind == EntityType::Loc || names_a_place(text, m))
            && !located(text, list[0].nspan.0)
            && (holds_team(text, list) || meets_in_match(text, list))
        {
            for (i, m) in mentions.iter_mut().enumerate().take(end).skip(start) {
                if m.kind == EntityType::Loc || names_a_place(text, m) {
                    m.kind = EntityType::Org;
                    retyped.push(i);
                }
            }
        }
        start = end;
    }
    retyped
}

/// Whether `m`, read as an organisation, is a listed place's name all the same (the
/// tagger's `巴西` in `荷兰、巴西和阿根廷队`): in a list of teams it stands for its team just
/// as a place-typed member does.
fn names_a_place(text: &str, m: &MentionCandidate) -> bool {
    text.get(m.nspan.0..m.nspan.1)
        .and_then(|s| gazetteer().lookup(s))
        .is_some_and(|(_, e)| e.kind == EntityType::Loc)
}

/// The end (exclusive) of the list of names that starts at `mentions[start]`: each next
/// name follows the previous one after exactly one joiner.
fn list_end(text: &str, mentions: &[MentionCandidate], start: usize) -> usize {
    let mut end = start + 1;
    while let Some(next) = mentions.get(end) {
        let gap = text.get(mentions[end - 1].nspan.1..next.nspan.0);
        if !gap.is_some_and(|g| cues().team_joiner.contains(&g)) {
            break;
        }
        end += 1;
    }
    end
}

/// Whether a locating word (在, 赴) stands right before byte `at`.
fn located(text: &str, at: usize) -> bool {
    text.get(..at)
        .is_some_and(|before| ends_with_any(before, &cues().locative_before).is_some())
}

/// Whether the list names a team (`英国队`, an organisation ending in a team head) or runs
/// into a team head after its last name (`辽宁、福建四队`, `韩国、荷兰等女队`).
fn holds_team(text: &str, list: &[MentionCandidate]) -> bool {
    let c = cues();
    let is_team = |m: &MentionCandidate| {
        m.kind == EntityType::Org
            && text
                .get(m.nspan.0..m.nspan.1)
                .is_some_and(|s| ends_with_any(s, &c.team_head).is_some())
    };
    if list.iter().any(is_team) {
        return true;
    }
    let Some(mut after) = list.last().and_then(|m| text.get(m.nspan.1..)) else {
        return false;
    };
    // A few modifiers (两, 等, 女) may stand between the last name and the head.
    for _ in 0..3 {
        match starts_with_any(after, &c.team_modifier) {
            Some(w) => after = &after[w.len()..],
            None => break,
        }
    }
    starts_with_any(after, &c.team_head).is_some()
}

/// Whether the list is two names joined by 与/和/同 before a word for their match, with at
/// most a few characters and no punctuation between (`德国与伊朗的比赛`, `俄罗斯与美国之战`,
/// `加纳和乌拉圭的H组比赛`).
fn meets_in_match(text: &str, list: &[MentionCandidate]) -> bool {
    let [a, b] = list else {
        return false;
    };
    if !text
        .get(a.nspan.1..b.nspan.0)
        .is_some_and(|g| cues().match_joiner.contains(&g))
    {
        return false;
    }
    let Some(after) = text.get(b.nspan.1..) else {
        return false;
    };
    let words = &cues().match_word;
    for (n, (i, ch)) in after.char_indices().enumerate() {
        if starts_with_any(&after[i..], words).is_some() {
            return true;
        }
        // Han characters and group letters or numbers (`的D组比赛`) may stand between.
        if n >= MATCH_GAP_CHARS || !(crate::normalize::script::is_han(ch) || ch.is_ascii_alphanumeric()) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mentions of `names` (each found after the previous one) with their types, and
    /// the types `retype_teams` gives them.
    fn retyped(text: &str, names: &[(&str, EntityType)]) -> Vec<EntityType> {
        let mut from = 0;
        let mut ms: Vec<MentionCandidate> = names
            .iter()
            .map(|&(name, kind)| {
                let at = from + text[from..].find(name).expect("name in text");
                from = at + name.len();
                crate::recognize::entity::test_mention((at, at + name.len()), kind)
            })
            .collect();
        retype_teams(text, &mut ms);
        ms.iter().map(|m| m.kind).collect()
    }

    use EntityType::{Loc, Org, Person};

    #[test]
    fn places_listed_with_a_team_are_teams() {
        assert_eq!(
            retyped(
                "小组赛中，智利、挪威和葡萄牙队都已出线。",
                &[("智利", Loc), ("挪威", Loc), ("葡萄牙队", Org)]
            ),
            vec![Org, Org, Org]
        );
        assert_eq!(
            retyped(
                "浙江、河北两队在决赛中相遇。",
                &[("浙江", Loc), ("河北", Loc)]
            ),
            vec![Org, Org]
        );
        assert_eq!(
            retyped(
                "来自芬兰、瑞典等女队的运动员",
                &[("芬兰", Loc), ("瑞典", Loc)]
            ),
            vec![Org, Org]
        );
        // A person in the list keeps its type.
        assert_eq!(
            retyped(
                "王小明和湖南女排的队员",
                &[("王小明", Person), ("湖南女排", Org)]
            ),
            vec![Person, Org]
        );
    }

    #[test]
    fn two_places_before_their_match_are_teams() {
        assert_eq!(
            retyped(
                "昨晚葡萄牙与加纳的小组赛比赛十分激烈。",
                &[("葡萄牙", Loc), ("加纳", Loc)]
            ),
            vec![Org, Org]
        );
        assert_eq!(
            retyped("克罗地亚同日本之战", &[("克罗地亚", Loc), ("日本", Loc)]),
            vec![Org, Org]
        );
        assert_eq!(
            retyped(
                "加纳和乌拉圭的H组比赛",
                &[("加纳", Loc), ("乌拉圭", Loc)]
            ),
            vec![Org, Org]
        );
    }

    #[test]
    fn places_that_only_locate_stay_places() {
        // A locating word before the list.
        assert_eq!(
            retyped(
                "球队在瑞士和奥地利进行了三场比赛。",
                &[("瑞士", Loc), ("奥地利", Loc)]
            ),
            vec![Loc, Loc]
        );
        // No team and no match: a list of places.
        assert_eq!(
            retyped(
                "代表团访问了埃及和约旦两国。",
                &[("埃及", Loc), ("约旦", Loc)]
            ),
            vec![Loc, Loc]
        );
        // The match word too far away, or after punctuation.
        assert_eq!(
            retyped(
                "荷兰和比利时，两国将联合举办比赛。",
                &[("荷兰", Loc), ("比利时", Loc)]
            ),
            vec![Loc, Loc]
        );
        // One place before a team head is left to the tagger (欧洲队 of 相比于欧洲队).
        assert_eq!(retyped("他说欧洲队很强", &[("欧洲", Loc)]), vec![Loc]);
        // Names not joined by a list word are no list.
        assert_eq!(
            retyped("法国总统访问德国队", &[("法国", Loc), ("德国队", Org)]),
            vec![Loc, Org]
        );
    }
}
