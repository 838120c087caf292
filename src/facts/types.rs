//! Fact types and amount roles as closed, typed sets, with the properties of each fact type
//! read once from `data/fact_types.tsv` (sides, value role, how lists split, which party
//! may fill the subject). The enums themselves live with the record types
//! ([`crate::document::FactType`], [`crate::document::AmountRole`]); a table row naming a
//! type or role that does not exist is a load error with the file and line.


use crate::document::{AmountRole, FactType};

/// How a list of parties becomes facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lists {
    /// One fact per subject (each investor, each fined company, each person).
    Subject,
    /// One fact per object (each counterpart).
    Object,
    /// One fact per subject and object pair.
    Both,
    /// One fact holding the list (a lawsuit against several defendants).
    None,
}

/// Who may be the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// An organisation only: a company's figures and moves.
    Org,
    /// An organisation before a person when both could be the doer.
    OrgFirst,
    /// A person is required (hire, departure).
    Person,
    Any,
}

/// One row of `data/fact_types.tsv`.
#[derive(Debug, Clone)]
pub struct TypeRow {
    pub kind: FactType,
    pub subject: &'static str,
    pub object: &'static str,
    pub value_role: AmountRole,
    pub lists: Lists,
    pub party: Party,
}

pub use crate::table::TableError;

const FILE: &str = "data/fact_types.tsv";

/// Parses the fact-type table; every type must appear exactly once.
pub fn parse_types(src: &'static str) -> Result<Vec<TypeRow>, TableError> {
    let mut rows: Vec<TypeRow> = Vec::new();
    for (n, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |reason: String| TableError {
            file: FILE.to_string(),
            line: n + 1,
            reason,
        };
        let cols: Vec<&'static str> = line.split('\t').map(str::trim).collect();
        let [kind, subject, object, value_role, lists, party] = cols[..] else {
            return Err(err(format!(
                "expected 6 tab-separated columns, found {}",
                cols.len()
            )));
        };
        let kind =
            FactType::parse(kind).ok_or_else(|| err(format!("unknown fact type {kind:?}")))?;
        let value_role = AmountRole::parse(value_role)
            .ok_or_else(|| err(format!("unknown amount role {value_role:?}")))?;
        let lists = match lists {
            "subject" => Lists::Subject,
            "object" => Lists::Object,
            "both" => Lists::Both,
            "none" => Lists::None,
            bad => {
                return Err(err(format!(
                    "unknown list rule {bad:?} (subject, object, both, none)"
                )))
            }
        };
        let party = match party {
            "org" => Party::Org,
            "org_first" => Party::OrgFirst,
            "person" => Party::Person,
            "any" => Party::Any,
            bad => {
                return Err(err(format!(
                    "unknown party {bad:?} (org, org_first, person, any)"
                )))
            }
        };
        if rows.iter().any(|r| r.kind == kind) {
            return Err(err(format!("fact type {} listed twice", kind.as_str())));
        }
        rows.push(TypeRow {
            kind,
            subject,
            object,
            value_role,
            lists,
            party,
        });
    }
    if let Some(missing) = FactType::ALL
        .iter()
        .find(|t| !rows.iter().any(|r| r.kind == **t))
    {
        return Err(TableError {
            file: FILE.to_string(),
            line: 0,
            reason: format!("fact type {} has no row", missing.as_str()),
        });
    }
    rows.sort_by_key(|r| r.kind as usize);
    Ok(rows)
}

static TYPES: crate::table::TableCell<Vec<TypeRow>> =
    crate::table::TableCell::new(|| parse_types(include_str!("../../data/fact_types.tsv")));

/// Loads every facts table, for [`crate::table::check_all`].
pub fn check() -> Result<(), TableError> {
    crate::table::check_cell(&TYPES)?;
    crate::table::check_cell(&super::frames::TRIGGERS)?;
    crate::table::check_cell(&super::roles::ROLES)?;
    super::modality::check()?;
    super::sentence::check()?;
    super::check_stock_exchanges()?;
    super::words::check()?;
    super::later_value::check()?;
    Ok(())
}

/// The properties of a fact type.
pub fn of(kind: FactType) -> &'static TypeRow {
    &TYPES[kind as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_covers_every_type() {
        let rows = parse_types(include_str!("../../data/fact_types.tsv")).expect("fact_types.tsv");
        assert_eq!(rows.len(), FactType::ALL.len());
        assert_eq!(of(FactType::Fine).lists, Lists::Subject);
        assert_eq!(of(FactType::Lawsuit).lists, Lists::None);
    }

    #[test]
    fn the_trigger_and_role_tables_load() {
        let triggers =
            crate::facts::frames::parse_triggers(include_str!("../../data/fact_triggers.tsv"));
        assert!(
            triggers.is_ok(),
            "{}",
            triggers.err().map(|e| e.to_string()).unwrap_or_default()
        );
        let roles = crate::facts::roles::parse_roles(include_str!("../../data/amount_roles.tsv"));
        assert!(
            roles.is_ok(),
            "{}",
            roles.err().map(|e| e.to_string()).unwrap_or_default()
        );
        let e = crate::facts::frames::parse_triggers("hire\tagent\tpatient\t-\twages\t-\thired\n")
            .err();
        assert!(e.is_some_and(|e| e.to_string().contains(":1: unknown amount role \"wages\"")));
    }

    #[test]
    fn bad_rows_name_their_line() {
        let e = parse_types(
            "# head\nvaluation\tx\t-\tvaluation\tnone\torg\nmerger\tx\t-\tprice\tnone\tany\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.to_string().contains("unknown fact type \"merger\""),
            "{e}"
        );
        let e = parse_types("valuation\tx\t-\tworth\tnone\torg\n").unwrap_err();
        assert!(e.to_string().contains(":1: unknown amount role"), "{e}");
    }
}
