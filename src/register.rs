//! The register definition format v1 as Rust types: the single source of the JSON Schema.
//!
//! The structure check, `seloste schema` and editor completion all derive from these types, so the
//! code and the published schema cannot drift. Only the skeleton is required here; everything a law
//! demands is a rule's business, so that a missing element becomes a finding that cites the law.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A text in the register's `language`, or a map of language codes to texts (`{fi: ..., sv: ...}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Languages(BTreeMap<String, String>),
}

/// One value or a list of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

macro_rules! contact_struct {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Name of the organisation, unit or person.
            pub name: Option<String>,
            /// Visiting address.
            pub address: Option<String>,
            /// Postal address.
            pub postal_address: Option<String>,
            pub phone: Option<String>,
            pub email: Option<String>,
            pub url: Option<String>,
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl $name {
            /// The ways to reach this party (addresses, phone, e-mail, web), without its name.
            pub fn reach(&self) -> Contact {
                Contact {
                    name: None,
                    address: self.address.clone(),
                    postal_address: self.postal_address.clone(),
                    phone: self.phone.clone(),
                    email: self.email.clone(),
                    url: self.url.clone(),
                }
            }
        }
    };
}

contact_struct!(
    /// Contact details; every key is optional.
    Contact {}
);

contact_struct!(
    /// The controller (rekisterinpitäjä): who decides on the processing. Art. 13(1)(a), 30(1)(a).
    Controller {
        /// What kind of organisation the controller is; rules depend on it (e.g. DPO duty, Art. 6(1) 2nd subpara).
        kind: Option<ControllerKind>,
        /// ISO 3166-1 alpha-2 country of establishment; `FI` when absent.
        country: Option<String>,
        /// Åland's own regional or municipal administration (supervised by Datainspektionen, not the Ombudsman).
        aland: Option<bool>,
        /// Finnish Business ID (Y-tunnus), `NNNNNNN-C`.
        business_id: Option<String>,
        /// A bilingual authority under Kielilaki 6 § (must inform in Finnish and Swedish).
        bilingual: Option<bool>,
    }
);

contact_struct!(
    /// A joint controller (Art. 26).
    JointController {
        business_id: Option<String>,
        /// The essence of the joint-controller arrangement (Art. 26(2)).
        arrangement: Option<Text>,
    }
);

contact_struct!(
    /// Where to lodge a complaint (Art. 13(2)(d), 77).
    Complaint {
        /// The supervisory authority, e.g. Tietosuojavaltuutetun toimisto.
        authority: Option<String>,
        /// Only when the notice limits the route (e.g. after a refusal).
        scope: Option<Text>,
    }
);

/// The register definition (tietosuojaseloste / dataskyddsbeskrivning): the Art. 13/14 notice merged
/// with the Art. 30 record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "seloste register definition v1")]
pub struct Register {
    /// Format version marker; always `1`.
    pub seloste: FormatVersion,
    /// Stable slug of the register, unique in a repository: lowercase letters a-z, digits and
    /// hyphens (it names the files of rendered notices).
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: String,
    /// Name of the register.
    pub name: Text,
    /// Primary language of plain-string Texts.
    pub language: Option<Language>,
    /// Further languages the published notice exists in.
    pub translations: Option<Vec<Language>>,
    /// Date of the current version, `YYYY-MM-DD`.
    #[schemars(extend("format" = "date"))]
    pub updated: Option<String>,
    /// Whether data is collected from the data subject (Art. 13), elsewhere (Art. 14) or both.
    pub collection: Option<Collection>,
    /// Laws the register refers to.
    pub legal_references: Option<Vec<String>>,
    pub controller: Controller,
    pub joint_controllers: Option<Vec<JointController>>,
    /// The EU representative (Art. 27), only for controllers outside the EU/EEA.
    pub representative: Option<Contact>,
    /// Contact person for register matters.
    pub contact: Option<Contact>,
    /// Data protection officer (Art. 37-39); a mailbox is enough.
    pub dpo: Option<Contact>,
    /// Categories of data subjects (Art. 30(1)(c)).
    pub data_subjects: Option<Vec<Text>>,
    /// Only when minors are data subjects.
    pub children: Option<Children>,
    /// Purposes of the processing; at least one.
    #[schemars(length(min = 1))]
    pub purposes: Vec<Purpose>,
    pub data_categories: Option<Vec<DataCategory>>,
    /// Where the data comes from (Art. 14(2)(f)).
    pub sources: Option<Vec<Source>>,
    /// Recipients (Art. 13(1)(e)); `[]` = no disclosures.
    pub recipients: Option<Vec<Recipient>>,
    /// Transfers outside the EEA (Art. 13(1)(f)); `[]` = none.
    pub transfers: Option<Vec<Transfer>>,
    /// Register-level retention.
    pub retention: Option<Retention>,
    /// Rights of the data subject the notice lists.
    pub rights: Option<Vec<Right>>,
    /// How to use the rights (address, form, identification).
    pub rights_how: Option<Text>,
    pub complaint: Option<Complaint>,
    pub automated_decisions: Option<AutomatedDecisions>,
    /// Security measures (Art. 30(1)(g)).
    pub security: Option<Vec<Text>>,
}

/// The format version: only `1` exists.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "i64", into = "i64")]
#[schemars(extend("enum" = [1]), with = "i64")]
pub struct FormatVersion;

impl TryFrom<i64> for FormatVersion {
    type Error = String;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        (v == 1)
            .then_some(FormatVersion)
            .ok_or_else(|| format!("unsupported format version {v}"))
    }
}

impl From<FormatVersion> for i64 {
    fn from(_: FormatVersion) -> i64 {
        1
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Fi,
    Sv,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ControllerKind {
    PublicAuthority,
    PublicBody,
    Company,
    Association,
    Individual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    Direct,
    Indirect,
    Both,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Children {
    pub included: Option<bool>,
    /// Lowest age of children whose data is processed on their own consent.
    #[schemars(range(min = 0, max = 18))]
    pub min_age: Option<i64>,
    /// How consent is obtained from the holder of parental responsibility.
    pub guardian_consent: Option<Text>,
}

/// One purpose of the processing, with its legal basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Slug, unique in the file: lowercase letters a-z, digits and hyphens.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: String,
    pub description: Option<Text>,
    /// Art. 6(1) legal basis, or a list when the purpose rests on several.
    pub legal_basis: Option<OneOrMany<LegalBasis>>,
    /// Ids of `data_categories` this purpose uses (default: all).
    pub categories: Option<Vec<String>>,
    /// Laws laying down the basis (Art. 6(3)) for legal_obligation and public_task.
    pub laws: Option<Vec<String>>,
    /// The legitimate interests pursued (Art. 13(1)(d)); required with legitimate_interests.
    pub legitimate_interest: Option<Text>,
    /// Art. 9(2) condition for special categories of data.
    pub special_category_condition: Option<SpecialCondition>,
    /// National basis, e.g. Tietosuojalaki 6 § or 29 §.
    pub national_basis: Option<Text>,
    /// Whether providing the data is a statutory or contractual requirement (Art. 13(2)(e)).
    pub requirement: Option<Requirement>,
    /// What follows from not providing the data.
    pub consequences: Option<Text>,
    /// Overrides the register-level retention for this purpose.
    pub retention: Option<Retention>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    Consent,
    Contract,
    LegalObligation,
    VitalInterests,
    PublicTask,
    LegitimateInterests,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpecialCondition {
    ExplicitConsent,
    EmploymentSocialSecurity,
    VitalInterests,
    NotForProfitBody,
    MadePublic,
    LegalClaims,
    SubstantialPublicInterest,
    HealthSocialCare,
    PublicHealth,
    ArchivingResearchStatistics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    Statutory,
    Contractual,
    ContractPrecondition,
    Voluntary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataCategory {
    /// Slug, unique in the file: lowercase letters a-z, digits and hyphens.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: String,
    pub description: Option<Text>,
    /// Art. 9(1) special categories in this category.
    pub special: Option<Vec<SpecialCategory>>,
    /// Art. 10 criminal convictions and offences data.
    pub criminal: Option<bool>,
    /// Contains personal identity codes (henkilötunnus, Tietosuojalaki 29 §).
    pub identity_code: Option<bool>,
    pub retention: Option<Retention>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpecialCategory {
    RacialEthnicOrigin,
    PoliticalOpinions,
    ReligiousBeliefs,
    TradeUnionMembership,
    Genetic,
    Biometric,
    Health,
    SexLifeOrientation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub kind: Option<SourceKind>,
    pub description: Option<Text>,
    /// Ids of `data_categories` this source supplies (default: all). With `kind: data_subject`,
    /// they decide which purposes must say whether providing the data is required (Art. 13(2)(e)).
    pub categories: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    DataSubject,
    Authority,
    ThirdParty,
    PublicSource,
    Observed,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub name: Option<String>,
    pub kind: Option<RecipientKind>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// Basis of the disclosure.
    pub basis: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    Authority,
    Processor,
    ThirdParty,
    JointController,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub recipient: Option<String>,
    /// ISO 3166-1 alpha-2 country; may be omitted when the notice names none.
    pub country: Option<String>,
    /// Art. 45-49 transfer tool(s).
    pub safeguard: Option<OneOrMany<Safeguard>>,
    /// The framework an adequacy decision covering only some recipients of the country requires:
    /// `dpf` (United States, EU-US Data Privacy Framework, Decision (EU) 2023/1795), `pipeda`
    /// (Canada, organisations subject to PIPEDA, Decision 2002/2/EC).
    pub framework: Option<Framework>,
    /// How to obtain a copy of the safeguards.
    pub copy: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Safeguard {
    Adequacy,
    Scc,
    Bcr,
    CodeOfConduct,
    Certification,
    PublicAuthorityArrangement,
    Derogation,
}

/// The framework under which a recipient is covered by a partial adequacy decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    /// EU-US Data Privacy Framework: the recipient is on the Data Privacy Framework List.
    Dpf,
    /// The Canadian recipient is subject to PIPEDA.
    Pipeda,
}

/// A retention period, the criteria to determine it, or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// ISO 8601 duration, e.g. `P6M`, `P2Y`, `PT72H`, `P1DT12H`.
    // ASCII digits: what `\d` means in the JSON Schema's ECMA-262 regexes, and far cheaper to
    // compile than Rust's Unicode `\d`. A duration of nothing (`P`, `PT`, `P0D`) matches the
    // pattern; the structure check reports it.
    #[schemars(regex(
        pattern = r"^P(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+W)?(?:[0-9]+D)?(?:T(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?$"
    ))]
    pub period: Option<String>,
    /// How the period is determined or when it starts.
    pub criteria: Option<Text>,
    /// The law that sets the period.
    pub law: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    Access,
    Rectification,
    Erasure,
    Restriction,
    Objection,
    Portability,
    WithdrawConsent,
    HumanReview,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutomatedDecisions {
    pub used: Option<bool>,
    /// Meaningful information about the logic involved.
    pub logic: Option<Text>,
    /// Significance and envisaged consequences.
    pub significance: Option<Text>,
}

/// The register schema, generated once per run.
pub static SCHEMA: std::sync::LazyLock<serde_json::Value> = std::sync::LazyLock::new(json_schema);

/// The JSON Schema of the register format, generated from these types.
pub fn json_schema() -> serde_json::Value {
    schemars::schema_for!(Register).to_value()
}
