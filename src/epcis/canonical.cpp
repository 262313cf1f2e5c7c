// CanonicalIdentifier and CanonicalVocabulary (declared in epcis/query.hpp), and the checks
// behind them (epcis/internal/canonical.hpp). They run for every identifier of every captured
// event, so they look at cheap prefixes first and allocate only the result.
#include <algorithm>
#include <span>
#include <string>
#include <string_view>

#include "epcis/internal/canonical.hpp"
#include "epcis/query.hpp"
#include "gs1/digital_link.hpp"
#include "gs1/epc_urn.hpp"

namespace vntrace::epcis {
namespace internal {
namespace {

// The code lists, each sorted in byte order for binary search (checked at compile time). They
// are the enums of the CBV 2.0 JSON schemas (../shared/conformance/cbv/*-JSON-Schema.json),
// which the EPCIS 2.0 JSON schema repeats.
constexpr std::string_view kBizSteps[] = {
    "accepting",
    "arriving",
    "assembling",
    "collecting",
    "commissioning",
    "consigning",
    "creating_class_instance",
    "cycle_counting",
    "decommissioning",
    "departing",
    "destroying",
    "disassembling",
    "dispensing",
    "encoding",
    "entering_exiting",
    "holding",
    "inspecting",
    "installing",
    "killing",
    "loading",
    "other",
    "packing",
    "picking",
    "receiving",
    "removing",
    "repackaging",
    "repairing",
    "replacing",
    "reserving",
    "retail_selling",
    "sampling",
    "sensor_reporting",
    "shipping",
    "staging_outbound",
    "stock_taking",
    "stocking",
    "storing",
    "transporting",
    "unloading",
    "unpacking",
    "void_shipping",
};

constexpr std::string_view kDispositions[] = {
    "active",
    "available",
    "completeness_inferred",
    "completeness_verified",
    "conformant",
    "container_closed",
    "container_open",
    "damaged",
    "destroyed",
    "dispensed",
    "disposed",
    "encoded",
    "expired",
    "in_progress",
    "in_transit",
    "inactive",
    "mismatch_class",
    "mismatch_instance",
    "mismatch_quantity",
    "needs_replacement",
    "no_pedigree_match",
    "non_conformant",
    "non_sellable_other",
    "partially_dispensed",
    "recalled",
    "reserved",
    "retail_sold",
    "returned",
    "sellable_accessible",
    "sellable_not_accessible",
    "stolen",
    "unavailable",
    "unknown",
};

constexpr std::string_view kBizTransactionTypes[] = {
    "bol",       "cert",   "desadv", "inv",     "pedigree", "po",    "poc",
    "prodorder", "recadv", "rma",    "testprd", "testres",  "upevt",
};

constexpr std::string_view kSourceDestTypes[] = {"location", "owning_party", "possessing_party"};

constexpr std::string_view kErrorReasons[] = {"did_not_occur", "incorrect_data"};

constexpr std::string_view kComponents[] = {
    "altitude",
    "axial_distance",
    "azimuth",
    "easting",
    "elevation_angle",
    "height",
    "latitude",
    "longitude",
    "northing",
    "polar_angle",
    "spherical_radius",
    "x",
    "y",
    "z",
};

constexpr std::string_view kSensorAlertTypes[] = {"ALARM_CONDITION", "ERROR_CONDITION"};

constexpr std::string_view kMeasurementTypes[] = {
    "AbsoluteHumidity",
    "AbsorbedDose",
    "AbsorbedDoseRate",
    "Acceleration",
    "Altitude",
    "AmountOfSubstance",
    "AmountOfSubstancePerUnitVolume",
    "Angle",
    "AngularAcceleration",
    "AngularMomentum",
    "AngularVelocity",
    "Area",
    "Capacitance",
    "Conductance",
    "Conductivity",
    "Count",
    "Density",
    "Dimensionless",
    "DoseEquivalent",
    "DoseEquivalentRate",
    "DynamicViscosity",
    "ElectricCharge",
    "ElectricCurrent",
    "ElectricCurrentDensity",
    "ElectricFieldStrength",
    "Energy",
    "Exposure",
    "Force",
    "Frequency",
    "Illuminance",
    "Inductance",
    "Irradiance",
    "KinematicViscosity",
    "Length",
    "LinearMomentum",
    "Luminance",
    "LuminousFlux",
    "LuminousIntensity",
    "MagneticFlux",
    "MagneticFluxDensity",
    "MagneticVectorPotential",
    "Mass",
    "MassConcentration",
    "MassFlowRate",
    "MassPerAreaTime",
    "MemoryCapacity",
    "MolalityOfSolute",
    "MolarEnergy",
    "MolarMass",
    "MolarVolume",
    "Power",
    "Pressure",
    "RadiantFlux",
    "RadiantIntensity",
    "Radioactivity",
    "RelativeHumidity",
    "Resistance",
    "Resistivity",
    "SolidAngle",
    "SpecificVolume",
    "Speed",
    "SurfaceDensity",
    "SurfaceTension",
    "Temperature",
    "Time",
    "Torque",
    "Voltage",
    "Volume",
    "VolumeFlowRate",
    "VolumeFraction",
    "VolumetricFlux",
    "Wavenumber",
};

static_assert(std::ranges::is_sorted(kBizSteps));
static_assert(std::ranges::is_sorted(kDispositions));
static_assert(std::ranges::is_sorted(kBizTransactionTypes));
static_assert(std::ranges::is_sorted(kSourceDestTypes));
static_assert(std::ranges::is_sorted(kErrorReasons));
static_assert(std::ranges::is_sorted(kComponents));
static_assert(std::ranges::is_sorted(kSensorAlertTypes));
static_assert(std::ranges::is_sorted(kMeasurementTypes));

std::span<const std::string_view> TermsOf(CbvList list) {
  switch (list) {
    case CbvList::kBizStep:
      return kBizSteps;
    case CbvList::kDisposition:
      return kDispositions;
    case CbvList::kBizTransactionType:
      return kBizTransactionTypes;
    case CbvList::kSourceDestType:
      return kSourceDestTypes;
    case CbvList::kErrorReason:
      return kErrorReasons;
    case CbvList::kComponent:
      return kComponents;
    case CbvList::kSensorAlertType:
      return kSensorAlertTypes;
    case CbvList::kMeasurementType:
      return kMeasurementTypes;
  }
  return {};
}

// The EPC schemes of the Tag Data Standard that carry no GS1 key, so no Digital Link.
constexpr std::string_view kNonGs1Schemes[] = {"adi", "bic", "gid", "imovn", "usdod"};

// The AIs a Digital Link path may start its key with (GS1 Digital Link primary keys).
constexpr std::string_view kPrimaryKeyAis[] = {"00",   "01",   "253",  "255",  "401",
                                               "402",  "414",  "417",  "8003", "8004",
                                               "8006", "8010", "8013", "8017", "8018"};

bool StartsWithIgnoreCase(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_prefix[i]) return false;
  }
  return true;
}

bool IsPrimaryKeyAi(std::string_view segment) {
  if (segment.size() < 2 || segment.size() > 4 || segment[0] < '0' || segment[0] > '8') {
    return false;
  }
  return std::find(std::begin(kPrimaryKeyAis), std::end(kPrimaryKeyAis), segment) !=
         std::end(kPrimaryKeyAis);
}

// True when the path of an http(s) URI (starting at '/', query and fragment cut) has a
// segment naming a primary key AI followed by a non-empty segment.
bool PathHasPrimaryKey(std::string_view path) {
  while (!path.empty()) {
    path.remove_prefix(1);  // the '/'
    const std::size_t end = path.find('/');
    if (end == std::string_view::npos) return false;
    if (IsPrimaryKeyAi(path.substr(0, end)) && end + 1 < path.size() && path[end + 1] != '/') {
      return true;
    }
    path.remove_prefix(end);
  }
  return false;
}

constexpr gs1::DigitalLinkOptions kIdentifierDlOptions{
    .permit_zero_suppressed_gtin = true,  // the DL 1.2 grammar accepts GTIN-8/12/13
    .permit_convenience_alphas = false,
    .validate_associations = false,  // attributes are dropped from the canonical form
};

// The canonical Digital Link of the key in `dl`: id.gs1.org, path only, without the consumer
// product variant (22) and without the lot (10) when a serial (21) names the instance, so that
// a DL with lot and serial matches the SGTIN URN of the same item.
std::string CanonicalOf(gs1::DigitalLink& dl) {
  const bool has_serial = gs1::FindElement(dl.path, "21") != nullptr;
  std::erase_if(dl.path, [has_serial](const gs1::AiElement& e) {
    return e.code() == "22" || (has_serial && e.code() == "10");
  });
  dl.attributes.clear();
  dl.other_params.clear();
  dl.fragment.clear();
  // What gs1::CanonicalDigitalLink builds (parsing has made the GTIN 14 digits long), without
  // copying the path: an empty stem builds on https://id.gs1.org.
  dl.stem.clear();
  return gs1::BuildDigitalLink(dl);
}

struct VocabularyForm {
  std::string_view web;  // after https://ref.gs1.org/cbv/ (or the cbv: prefix)
  std::string_view urn;  // after urn:epcglobal:cbv:
  CbvList list;
};

constexpr VocabularyForm kVocabularyForms[] = {
    {"BizStep-", "bizstep:", CbvList::kBizStep},    {"Disp-", "disp:", CbvList::kDisposition},
    {"BTT-", "btt:", CbvList::kBizTransactionType}, {"SDT-", "sdt:", CbvList::kSourceDestType},
    {"ER-", "er:", CbvList::kErrorReason},
};

}  // namespace

std::span<const std::string_view> CbvTerms(CbvList list) { return TermsOf(list); }

bool IsCbvTerm(CbvList list, std::string_view word) {
  const std::span<const std::string_view> terms = TermsOf(list);
  return std::binary_search(terms.begin(), terms.end(), word);
}

IdentifierForm ClassifyIdentifier(std::string_view uri) {
  if (uri.size() < 8) return IdentifierForm::kOther;
  if (StartsWithIgnoreCase(uri, "urn:epc:")) {
    std::string_view rest = uri.substr(8);
    if (rest.starts_with("id:")) {
      rest.remove_prefix(3);
      const std::string_view scheme = rest.substr(0, rest.find(':'));
      if (std::find(std::begin(kNonGs1Schemes), std::end(kNonGs1Schemes), scheme) !=
          std::end(kNonGs1Schemes)) {
        return IdentifierForm::kNonGs1Epc;
      }
    }
    return IdentifierForm::kEpcUrn;
  }
  std::size_t authority = 0;
  if (StartsWithIgnoreCase(uri, "https://")) {
    authority = 8;
  } else if (StartsWithIgnoreCase(uri, "http://")) {
    authority = 7;
  } else {
    return IdentifierForm::kOther;
  }
  std::string_view rest = uri.substr(authority);
  rest = rest.substr(0, rest.find_first_of("?#"));
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return IdentifierForm::kOther;
  if (StartsWithIgnoreCase(rest, "id.gs1.org/")) return IdentifierForm::kDigitalLink;
  return PathHasPrimaryKey(rest.substr(slash)) ? IdentifierForm::kCustomDigitalLink
                                               : IdentifierForm::kOther;
}

core::Result<std::string> CheckedCanonicalIdentifier(std::string_view uri) {
  const IdentifierForm form = ClassifyIdentifier(uri);
  switch (form) {
    case IdentifierForm::kOther:
    case IdentifierForm::kNonGs1Epc:
      break;
    case IdentifierForm::kEpcUrn: {
      core::Result<gs1::DigitalLink> dl = gs1::EpcUrnToDigitalLink(uri);
      if (!dl.ok()) return std::move(dl).error();
      return CanonicalOf(*dl);
    }
    case IdentifierForm::kDigitalLink:
    case IdentifierForm::kCustomDigitalLink: {
      core::Result<gs1::DigitalLink> dl = gs1::ParseDigitalLink(uri, kIdentifierDlOptions);
      if (dl.ok()) return CanonicalOf(*dl);
      if (form == IdentifierForm::kDigitalLink) return std::move(dl).error();
      break;
    }
  }
  return std::string(uri);
}

}  // namespace internal

std::string CanonicalIdentifier(std::string_view uri) {
  core::Result<std::string> canonical = internal::CheckedCanonicalIdentifier(uri);
  if (!canonical.ok()) return std::string(uri);
  return std::move(canonical).value();
}

std::string CanonicalVocabulary(std::string_view value) {
  if (value.find(':') == std::string_view::npos) return std::string(value);
  constexpr std::string_view kWebPrefix = "https://ref.gs1.org/cbv/";
  constexpr std::string_view kCuriePrefix = "cbv:";
  constexpr std::string_view kUrnPrefix = "urn:epcglobal:cbv:";
  std::string_view rest;
  bool urn = false;
  if (value.starts_with(kWebPrefix)) {
    rest = value.substr(kWebPrefix.size());
  } else if (value.starts_with(kCuriePrefix)) {
    rest = value.substr(kCuriePrefix.size());
  } else if (value.starts_with(kUrnPrefix)) {
    rest = value.substr(kUrnPrefix.size());
    urn = true;
  } else {
    return std::string(value);
  }
  for (const internal::VocabularyForm& form : internal::kVocabularyForms) {
    const std::string_view head = urn ? form.urn : form.web;
    if (!rest.starts_with(head)) continue;
    const std::string_view term = rest.substr(head.size());
    if (internal::IsCbvTerm(form.list, term)) return std::string(term);
    break;
  }
  return std::string(value);
}

}  // namespace vntrace::epcis
