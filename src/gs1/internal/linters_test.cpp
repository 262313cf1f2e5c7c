#include "gs1/internal/linters.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

namespace vntrace::gs1::internal {
namespace {

// Marks a case that must pass.
constexpr std::size_t kOk = std::string_view::npos;

struct LintCase {
  Linter linter;
  std::string_view input;
  // kOk, or the position the failure must point at.
  std::size_t fail_at;
};

std::ostream& operator<<(std::ostream& os, const LintCase& c) {
  os << LinterName(c.linter) << "(\"" << c.input << "\") -> ";
  if (c.fail_at == kOk) {
    return os << "ok";
  }
  return os << "fail at " << c.fail_at;
}

// GS1's valid example values come from the GS1 General Specifications and from the unit tests
// of GS1's reference linters (gs1/gs1-syntax-engine); the others are built by hand.
constexpr LintCase kCases[] = {
    // csum: weights 3, 1, 3, ... from the right; the failure points at the check digit.
    {Linter::kCsum, "09506000134352", kOk},
    {Linter::kCsum, "09506000134353", 13},
    {Linter::kCsum, "09506000134350", 13},
    {Linter::kCsum, "106141411234567897", kOk},
    {Linter::kCsum, "106141411234567898", 17},
    {Linter::kCsum, "9520123456788", kOk},
    {Linter::kCsum, "95012346", kOk},
    {Linter::kCsum, "401234554", kOk},
    {Linter::kCsum, "12345678901234560", kOk},
    {Linter::kCsum, "00", kOk},
    {Linter::kCsum, "0", kOk},
    {Linter::kCsum, "1", 0},
    {Linter::kCsum, "", 0},
    {Linter::kCsum, "0950600013435A", 13},
    {Linter::kCsum, "09506X00134352", 5},

    // csumalpha: GS1 check character pair.
    {Linter::kCsumAlpha, "1987654Ad4X4bL5ttr2310c2K", kOk},
    {Linter::kCsumAlpha, "1987654Ad4X4bL5ttr2310cXK", 23},
    {Linter::kCsumAlpha, "1987654Ad4X4bL5ttr2310c2X", 23},
    {Linter::kCsumAlpha, "1987654Ad4X4bL5ttr2310c2k", 24},
    {Linter::kCsumAlpha, "1987654Ad4X4bL5ttr2310d2K", 23},
    {Linter::kCsumAlpha, "12345678901234567890123NT", kOk},
    {Linter::kCsumAlpha, "12345_ABCDEFGHIJKLMCP", kOk},
    {Linter::kCsumAlpha, "12345_abcdefghijklmN3", kOk},
    {Linter::kCsumAlpha, "12345_!\"%&'()*+,-./LC", kOk},
    {Linter::kCsumAlpha, "12345_0123456789:;<=>?62", kOk},
    {Linter::kCsumAlpha, "7907665Bm8v2AB", kOk},
    {Linter::kCsumAlpha, "00000!HV", kOk},
    {Linter::kCsumAlpha, "97850l6KZm0yCD", kOk},
    {Linter::kCsumAlpha, "23956qk1&dB!23", kOk},
    {Linter::kCsumAlpha, "57453Uq3qA<H67", kOk},
    {Linter::kCsumAlpha, "99999zzzzzzzzzzzzzzzzzzT2", kOk},
    {Linter::kCsumAlpha, "22", kOk},
    {Linter::kCsumAlpha, "!22", kOk},
    {Linter::kCsumAlpha, "33", 0},
    {Linter::kCsumAlpha, "2", 0},
    {Linter::kCsumAlpha, "", 0},
    {Linter::kCsumAlpha, " 2345678901234567890123NT", 0},
    {Linter::kCsumAlpha, "123456789 1234567890123NT", 9},
    {Linter::kCsumAlpha, "12345678901234567890123 T", 23},
    {Linter::kCsumAlpha, "12345678901234567890123N1", 24},
    {Linter::kCsumAlpha, "12345678901234567890123NI", 24},
    // 97 data characters are the most GS1's linter supports; 98 are too many.
    {Linter::kCsumAlpha,
     "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901"
     "234567HA",
     kOk},
    {Linter::kCsumAlpha,
     "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901"
     "2345678ZZ",
     0},

    // gcppos1 / gcppos2: at least four digits where the GS1 Company Prefix starts.
    {Linter::kGcpPos1, "0123", kOk},
    {Linter::kGcpPos1, "9521234", kOk},
    {Linter::kGcpPos1, "0123A", kOk},
    {Linter::kGcpPos1, "012", 0},
    {Linter::kGcpPos1, "", 0},
    {Linter::kGcpPos1, "A123", 0},
    {Linter::kGcpPos1, "012A5678", 3},
    {Linter::kGcpPos2, "09506000134352", kOk},
    {Linter::kGcpPos2, "I0123", kOk},
    {Linter::kGcpPos2, "I0123A", kOk},
    {Linter::kGcpPos2, "1012", 1},
    {Linter::kGcpPos2, "1", 0},
    {Linter::kGcpPos2, "", 0},
    {Linter::kGcpPos2, "1A123", 1},
    {Linter::kGcpPos2, "1012A5", 4},

    // yymmd0 / yymmdd: month 01-12; day valid for the month (YY % 4 == 0 is a leap year).
    {Linter::kYymmd0, "251231", kOk},
    {Linter::kYymmd0, "250100", kOk},
    {Linter::kYymmd0, "250200", kOk},
    {Linter::kYymmd0, "240229", kOk},
    {Linter::kYymmd0, "000229", kOk},
    {Linter::kYymmd0, "250229", 4},
    {Linter::kYymmd0, "250228", kOk},
    {Linter::kYymmd0, "250431", 4},
    {Linter::kYymmd0, "250430", kOk},
    {Linter::kYymmd0, "250132", 4},
    {Linter::kYymmd0, "250000", 2},
    {Linter::kYymmd0, "251300", 2},
    {Linter::kYymmd0, "259901", 2},
    {Linter::kYymmd0, "2501", 0},
    {Linter::kYymmd0, "2501011", 0},
    {Linter::kYymmd0, "25a101", 2},
    {Linter::kYymmdd, "251231", kOk},
    {Linter::kYymmdd, "250101", kOk},
    {Linter::kYymmdd, "250100", 4},
    {Linter::kYymmdd, "961129", kOk},
    {Linter::kYymmdd, "960229", kOk},
    {Linter::kYymmdd, "970229", 4},
    {Linter::kYymmdd, "990631", 4},
    {Linter::kYymmdd, "991131", 4},
    {Linter::kYymmdd, "990931", 4},
    {Linter::kYymmdd, "990731", kOk},
    {Linter::kYymmdd, "990831", kOk},
    {Linter::kYymmdd, "001301", 2},
    {Linter::kYymmdd, "", 0},

    // yyyymmdd: Gregorian leap years.
    {Linter::kYyyymmdd, "20240229", kOk},
    {Linter::kYyyymmdd, "20000229", kOk},
    {Linter::kYyyymmdd, "19000229", 6},
    {Linter::kYyyymmdd, "21000229", 6},
    {Linter::kYyyymmdd, "20230229", 6},
    {Linter::kYyyymmdd, "20231231", kOk},
    {Linter::kYyyymmdd, "20230100", 6},
    {Linter::kYyyymmdd, "20231301", 4},
    {Linter::kYyyymmdd, "20230001", 4},
    {Linter::kYyyymmdd, "2023123", 0},
    {Linter::kYyyymmdd, "2023-231", 4},

    // hhmi, hh, mi, ss.
    {Linter::kHhmi, "0000", kOk},
    {Linter::kHhmi, "2359", kOk},
    {Linter::kHhmi, "1230", kOk},
    {Linter::kHhmi, "2400", 0},
    {Linter::kHhmi, "9900", 0},
    {Linter::kHhmi, "2360", 2},
    {Linter::kHhmi, "235", 0},
    {Linter::kHh, "00", kOk},
    {Linter::kHh, "23", kOk},
    {Linter::kHh, "24", 0},
    {Linter::kHh, "2", 0},
    {Linter::kMi, "00", kOk},
    {Linter::kMi, "59", kOk},
    {Linter::kMi, "60", 0},
    {Linter::kMi, "5a", 1},
    {Linter::kSs, "00", kOk},
    {Linter::kSs, "59", kOk},
    {Linter::kSs, "60", 0},
    {Linter::kSs, "", 0},

    // iso3166 / iso3166999 / iso3166alpha2.
    {Linter::kIso3166, "004", kOk},
    {Linter::kIso3166, "276", kOk},
    {Linter::kIso3166, "704", kOk},
    {Linter::kIso3166, "840", kOk},
    {Linter::kIso3166, "894", kOk},
    {Linter::kIso3166, "000", 0},
    {Linter::kIso3166, "001", 0},
    {Linter::kIso3166, "895", 0},
    {Linter::kIso3166, "999", 0},
    {Linter::kIso3166, "84", 0},
    {Linter::kIso3166, "0840", 0},
    {Linter::kIso3166, "AAA", 0},
    {Linter::kIso3166999, "999", kOk},
    {Linter::kIso3166999, "840", kOk},
    {Linter::kIso3166999, "998", 0},
    {Linter::kIso3166999, "000", 0},
    {Linter::kIso3166Alpha2, "AD", kOk},
    {Linter::kIso3166Alpha2, "DE", kOk},
    {Linter::kIso3166Alpha2, "VN", kOk},
    {Linter::kIso3166Alpha2, "ZW", kOk},
    {Linter::kIso3166Alpha2, "AA", 0},
    {Linter::kIso3166Alpha2, "XX", 0},
    {Linter::kIso3166Alpha2, "ZZ", 0},
    {Linter::kIso3166Alpha2, "us", 0},
    {Linter::kIso3166Alpha2, "USA", 0},
    {Linter::kIso3166Alpha2, "U", 0},
    {Linter::kIso3166Alpha2, "", 0},
    {Linter::kIso3166Alpha2, "1A", 0},

    // iso4217: current currencies, as GS1's linter accepts them.
    {Linter::kIso4217, "008", kOk},
    {Linter::kIso4217, "704", kOk},
    {Linter::kIso4217, "840", kOk},
    {Linter::kIso4217, "978", kOk},
    {Linter::kIso4217, "999", kOk},
    {Linter::kIso4217, "396", kOk},
    {Linter::kIso4217, "924", kOk},
    {Linter::kIso4217, "925", kOk},
    {Linter::kIso4217, "926", kOk},
    {Linter::kIso4217, "191", 0},
    {Linter::kIso4217, "694", 0},
    {Linter::kIso4217, "932", 0},
    {Linter::kIso4217, "000", 0},
    {Linter::kIso4217, "004", 0},
    {Linter::kIso4217, "97", 0},
    {Linter::kIso4217, "EUR", 0},

    // iso5218.
    {Linter::kIso5218, "0", kOk},
    {Linter::kIso5218, "1", kOk},
    {Linter::kIso5218, "2", kOk},
    {Linter::kIso5218, "9", kOk},
    {Linter::kIso5218, "3", 0},
    {Linter::kIso5218, "8", 0},
    {Linter::kIso5218, "10", 0},
    {Linter::kIso5218, "", 0},

    // iban: ISO 13616 examples; failures point at the check digits.
    {Linter::kIban, "GB98MIDL07009312345678", kOk},
    {Linter::kIban, "DE91100000000123456789", kOk},
    {Linter::kIban, "FR7630006000011234567890189", kOk},
    {Linter::kIban, "MU43BOMM0101123456789101000MUR", kOk},
    {Linter::kIban, "CH5604835012345678009", kOk},
    {Linter::kIban, "BE71096123456769", kOk},
    {Linter::kIban, "BE71096123456760", 2},
    {Linter::kIban, "GB99MIDL07009312345678", 2},
    {Linter::kIban, "LC14BOSL123456789012345678901234", kOk},
    {Linter::kIban, "LC14BOSL123456789012345678901230", 2},
    {Linter::kIban, "MT90MALT011000012345MTLCAST001SABC", kOk},
    {Linter::kIban, "MT90MALT011000012345MTLCAST001SABCD", 0},
    {Linter::kIban, "LC14BOSLxx3456789012345678901230", 8},
    {Linter::kIban, "GB98MIDL-7009312345678", 8},
    {Linter::kIban, "XX361234567890", 0},
    {Linter::kIban, "gb98MIDL07009312345678", 0},
    {Linter::kIban, "12GBMIDL07009312345678", 0},
    {Linter::kIban, "BE71", 0},
    {Linter::kIban, "BE71096123", 0},
    {Linter::kIban, "BE", 0},
    {Linter::kIban, "", 0},

    // pcenc: each '%' starts a %XX escape.
    {Linter::kPcenc, "", kOk},
    {Linter::kPcenc, "abc", kOk},
    {Linter::kPcenc, "a%20b", kOk},
    {Linter::kPcenc, "%2f%2F", kOk},
    {Linter::kPcenc, "%25", kOk},
    {Linter::kPcenc, "%", 0},
    {Linter::kPcenc, "a%2", 1},
    {Linter::kPcenc, "a%2G", 1},
    {Linter::kPcenc, "a%G2", 1},
    {Linter::kPcenc, "ok%41%", 5},
    {Linter::kPcenc, "100%", 3},
    {Linter::kPcenc, "%%20", 0},

    // yesno, hyphen, zero, winding.
    {Linter::kYesNo, "0", kOk},
    {Linter::kYesNo, "1", kOk},
    {Linter::kYesNo, "2", 0},
    {Linter::kYesNo, "", 0},
    {Linter::kYesNo, "01", 0},
    {Linter::kHyphen, "-", kOk},
    {Linter::kHyphen, "A", 0},
    {Linter::kHyphen, "--A", 2},
    {Linter::kZero, "0", kOk},
    {Linter::kZero, "1", 0},
    {Linter::kZero, "00", 0},
    {Linter::kWinding, "0", kOk},
    {Linter::kWinding, "1", kOk},
    {Linter::kWinding, "9", kOk},
    {Linter::kWinding, "2", 0},
    {Linter::kWinding, "8", 0},
    {Linter::kWinding, "", 0},

    // importeridx: one of 0-9, A-Z, a-z, '-', '_'.
    {Linter::kImporterIdx, "0", kOk},
    {Linter::kImporterIdx, "9", kOk},
    {Linter::kImporterIdx, "A", kOk},
    {Linter::kImporterIdx, "Z", kOk},
    {Linter::kImporterIdx, "a", kOk},
    {Linter::kImporterIdx, "z", kOk},
    {Linter::kImporterIdx, "-", kOk},
    {Linter::kImporterIdx, "_", kOk},
    {Linter::kImporterIdx, "!", 0},
    {Linter::kImporterIdx, "/", 0},
    {Linter::kImporterIdx, "%", 0},
    {Linter::kImporterIdx, "AA", 0},
    {Linter::kImporterIdx, "", 0},

    // packagetype: GS1 PackageTypeCode list.
    {Linter::kPackageType, "1A", kOk},
    {Linter::kPackageType, "8", kOk},
    {Linter::kPackageType, "9", kOk},
    {Linter::kPackageType, "200", kOk},
    {Linter::kPackageType, "BGE", kOk},
    {Linter::kPackageType, "CT", kOk},
    {Linter::kPackageType, "PX", kOk},
    {Linter::kPackageType, "RB1", kOk},
    {Linter::kPackageType, "X3", kOk},
    {Linter::kPackageType, "X20", kOk},
    {Linter::kPackageType, "ZZ", kOk},
    {Linter::kPackageType, "X2", 0},
    {Linter::kPackageType, "1", 0},
    {Linter::kPackageType, "0", 0},
    {Linter::kPackageType, "AAA", 0},
    {Linter::kPackageType, "ct", 0},
    {Linter::kPackageType, "1A_", 0},
    {Linter::kPackageType, "200A", 0},
    {Linter::kPackageType, "", 0},

    // mediatype: 01-10 and 80-99.
    {Linter::kMediaType, "01", kOk},
    {Linter::kMediaType, "10", kOk},
    {Linter::kMediaType, "80", kOk},
    {Linter::kMediaType, "99", kOk},
    {Linter::kMediaType, "00", 0},
    {Linter::kMediaType, "11", 0},
    {Linter::kMediaType, "79", 0},
    {Linter::kMediaType, "1", 0},
    {Linter::kMediaType, "001", 0},

    // posinseqslash: "<position>/<total>".
    {Linter::kPosInSeqSlash, "1/1", kOk},
    {Linter::kPosInSeqSlash, "1/3", kOk},
    {Linter::kPosInSeqSlash, "3/3", kOk},
    {Linter::kPosInSeqSlash, "9/10", kOk},
    {Linter::kPosInSeqSlash, "10/10", kOk},
    {Linter::kPosInSeqSlash, "1/100", kOk},
    {Linter::kPosInSeqSlash, "998/999", kOk},
    {Linter::kPosInSeqSlash, "2/1", 0},
    {Linter::kPosInSeqSlash, "10/9", 0},
    {Linter::kPosInSeqSlash, "11/10", 0},
    {Linter::kPosInSeqSlash, "100/99", 0},
    {Linter::kPosInSeqSlash, "0/1", 0},
    {Linter::kPosInSeqSlash, "01/2", 0},
    {Linter::kPosInSeqSlash, "1/0", 2},
    {Linter::kPosInSeqSlash, "1/02", 2},
    {Linter::kPosInSeqSlash, "/1", 0},
    {Linter::kPosInSeqSlash, "1/", 0},
    {Linter::kPosInSeqSlash, "1//", 0},
    {Linter::kPosInSeqSlash, "1//2", 0},
    {Linter::kPosInSeqSlash, "x/1", 0},
    {Linter::kPosInSeqSlash, "1/y", 0},
    {Linter::kPosInSeqSlash, "123", 0},
    {Linter::kPosInSeqSlash, "", 0},

    // nonzero, nozeroprefix, hasnondigit.
    {Linter::kNonZero, "0001", kOk},
    {Linter::kNonZero, "1000", kOk},
    {Linter::kNonZero, "0000", 0},
    {Linter::kNonZero, "000", 0},
    {Linter::kNoZeroPrefix, "0", kOk},
    {Linter::kNoZeroPrefix, "1", kOk},
    {Linter::kNoZeroPrefix, "10", kOk},
    {Linter::kNoZeroPrefix, "123456789012", kOk},
    {Linter::kNoZeroPrefix, "01", 0},
    {Linter::kNoZeroPrefix, "00", 0},
    {Linter::kHasNonDigit, "12A", kOk},
    {Linter::kHasNonDigit, "-", kOk},
    {Linter::kHasNonDigit, "A123", kOk},
    {Linter::kHasNonDigit, "123", 0},
    {Linter::kHasNonDigit, "0", 0},

    // pieceoftotal: piece NN of total NN.
    {Linter::kPieceOfTotal, "0101", kOk},
    {Linter::kPieceOfTotal, "0102", kOk},
    {Linter::kPieceOfTotal, "0199", kOk},
    {Linter::kPieceOfTotal, "9999", kOk},
    {Linter::kPieceOfTotal, "0001", 0},
    {Linter::kPieceOfTotal, "0000", 0},
    {Linter::kPieceOfTotal, "0100", 2},
    {Linter::kPieceOfTotal, "0201", 0},
    {Linter::kPieceOfTotal, "9998", 0},
    {Linter::kPieceOfTotal, "010", 0},

    // latitude / longitude.
    {Linter::kLatitude, "0000000000", kOk},
    {Linter::kLatitude, "0900000000", kOk},
    {Linter::kLatitude, "1800000000", kOk},
    {Linter::kLatitude, "1800000001", 0},
    {Linter::kLatitude, "9999999999", 0},
    {Linter::kLatitude, "180000000", 0},
    {Linter::kLongitude, "0000000000", kOk},
    {Linter::kLongitude, "3600000000", kOk},
    {Linter::kLongitude, "3600000001", 0},
    {Linter::kLongitude, "9999999999", 0},
    {Linter::kLongitude, "360000000A", 9},

    // couponcode (AI 8110). "012345612345611110123" is the mandatory part: company prefix
    // length 0 (6 digits), 123456, offer 123456, save value "1" (length 1), requirement "1"
    // (length 1), requirement code 0, family code 123.
    {Linter::kCouponCode, "012345612345611110123", kOk},
    {Linter::kCouponCode, "61234567890121234565123455123454123", kOk},
    {Linter::kCouponCode, "012345612345611110123101101239", kOk},
    {Linter::kCouponCode, "012345612345611110123101101230123456", kOk},
    {Linter::kCouponCode, "01234561234561111012321101239", kOk},
    {Linter::kCouponCode, "0123456123456111101233251231", kOk},
    {Linter::kCouponCode, "01234561234561111012332802294240229", kOk},
    {Linter::kCouponCode, "0123456123456111101233251231425123190000", kOk},
    {Linter::kCouponCode, "01234561234561111012350123456", kOk},
    {Linter::kCouponCode, "012345612345611110123611234567", kOk},
    {Linter::kCouponCode, "01234561234561111012390000", kOk},
    {Linter::kCouponCode, "01234561234561111012396291", kOk},
    {Linter::kCouponCode, "", 0},
    {Linter::kCouponCode, "a12345612345611110123", 0},
    {Linter::kCouponCode, "01234561234561111012a", 20},
    {Linter::kCouponCode, "71234567890123", 0},
    {Linter::kCouponCode, "01", 1},
    {Linter::kCouponCode, "0", 0},
    {Linter::kCouponCode, "0123456", 0},
    {Linter::kCouponCode, "01234561", 7},
    {Linter::kCouponCode, "0123456123456", 0},
    {Linter::kCouponCode, "01234561234560", 13},
    {Linter::kCouponCode, "01234561234566", 13},
    {Linter::kCouponCode, "012345612345621", 14},
    {Linter::kCouponCode, "012345612345611", 0},
    {Linter::kCouponCode, "0123456123456111", 0},
    {Linter::kCouponCode, "012345612345611115123", 17},
    {Linter::kCouponCode, "01234561234561111012", 18},
    {Linter::kCouponCode, "0123456123456111101231", 0},
    {Linter::kCouponCode, "01234561234561111012314", 22},
    {Linter::kCouponCode, "0123456123456111101231060", 23},
    {Linter::kCouponCode, "012345612345611110123101151239", 25},
    {Linter::kCouponCode, "012345612345611110123101101237", 29},
    {Linter::kCouponCode, "01234561234561111012310110123012345", 30},
    {Linter::kCouponCode, "0123456123456111101232", 0},
    {Linter::kCouponCode, "0123456123456111101233", 0},
    {Linter::kCouponCode, "012345612345611110123325123", 22},
    {Linter::kCouponCode, "0123456123456111101233251232", 22},
    {Linter::kCouponCode, "0123456123456111101233250229", 22},
    {Linter::kCouponCode, "01234561234561111012342513", 22},
    {Linter::kCouponCode, "01234561234561111012342500101", 22},
    {Linter::kCouponCode, "01234561234561111012332512314260101", 22},
    {Linter::kCouponCode, "0123456123456111101235", 0},
    {Linter::kCouponCode, "0123456123456111101235012345", 23},
    {Linter::kCouponCode, "01234561234561111012360", 22},
    {Linter::kCouponCode, "01234561234561111012381234567", 21},
    {Linter::kCouponCode, "01234561234561111012361123456", 23},
    {Linter::kCouponCode, "0123456123456111101239", 0},
    {Linter::kCouponCode, "01234561234561111012397", 22},
    {Linter::kCouponCode, "012345612345611110123903", 23},
    {Linter::kCouponCode, "0123456123456111101239000", 0},
    {Linter::kCouponCode, "01234561234561111012390002", 25},
    {Linter::kCouponCode, "012345612345611110123900001", 26},
    {Linter::kCouponCode, "0123456123456111101238", 21},
    {Linter::kCouponCode,
     "01234561234561111012390000"
     "3251231",
     26},

    // couponposoffer (AI 8112): format, funder ID, offer code, serial number.
    {Linter::kCouponPosOffer, "001234561234560123456", kOk},
    {Linter::kCouponPosOffer, "101234561234560123456", kOk},
    {Linter::kCouponPosOffer, "0012345612345611234567", kOk},
    {Linter::kCouponPosOffer, "001234561234569123456789012345", kOk},
    {Linter::kCouponPosOffer, "061234567890121234569123456789012345", kOk},
    {Linter::kCouponPosOffer, "", 0},
    {Linter::kCouponPosOffer, "a01234561234560123456", 0},
    {Linter::kCouponPosOffer, "00123456123456012345a", 20},
    {Linter::kCouponPosOffer, "201234561234560123456", 0},
    {Linter::kCouponPosOffer, "901234561234560123456", 0},
    {Linter::kCouponPosOffer, "0", 0},
    {Linter::kCouponPosOffer, "07", 1},
    {Linter::kCouponPosOffer, "00", 0},
    {Linter::kCouponPosOffer, "001", 2},
    {Linter::kCouponPosOffer, "0012345", 2},
    {Linter::kCouponPosOffer, "00123456", 0},
    {Linter::kCouponPosOffer, "01123456", 2},
    {Linter::kCouponPosOffer, "001234561", 8},
    {Linter::kCouponPosOffer, "00123456123456", 0},
    {Linter::kCouponPosOffer, "001234561234560", 0},
    {Linter::kCouponPosOffer, "0012345612345601", 15},
    {Linter::kCouponPosOffer, "001234561234561123456", 15},
    {Linter::kCouponPosOffer, "0012345612345601234567", 21},

    // kNone never fails.
    {Linter::kNone, "", kOk},
    {Linter::kNone, "anything", kOk},
};

class LintTest : public testing::TestWithParam<LintCase> {};

TEST_P(LintTest, MatchesExpectation) {
  const LintCase& c = GetParam();
  const std::optional<LintFailure> failure = Lint(c.linter, c.input);
  if (c.fail_at == kOk) {
    EXPECT_FALSE(failure.has_value())
        << "unexpected failure \"" << failure->what << "\" at " << failure->position;
    return;
  }
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->position, c.fail_at) << failure->what;
  EXPECT_FALSE(failure->what.empty());
  // Points inside the component, or at 0 when there is nothing to point at.
  EXPECT_TRUE(failure->position == 0 || failure->position < c.input.size());
}

INSTANTIATE_TEST_SUITE_P(Lint, LintTest, testing::ValuesIn(kCases));

TEST(LintCoverageTest, EveryLinterHasPassingAndFailingCases) {
  std::set<Linter> passing;
  std::set<Linter> failing;
  for (const LintCase& c : kCases) {
    (c.fail_at == kOk ? passing : failing).insert(c.linter);
  }
  for (auto i = static_cast<int>(Linter::kCsum); i <= static_cast<int>(Linter::kLongitude); ++i) {
    const auto linter = static_cast<Linter>(i);
    EXPECT_TRUE(passing.contains(linter)) << LinterName(linter);
    EXPECT_TRUE(failing.contains(linter)) << LinterName(linter);
  }
}

TEST(LintCsumTest, ExactlyOneCheckDigitFits) {
  const std::string body = "950600013435";
  int valid = 0;
  for (char d = '0'; d <= '9'; ++d) {
    valid += Lint(Linter::kCsum, body + d).has_value() ? 0 : 1;
  }
  EXPECT_EQ(valid, 1);
}

TEST(LintCsumAlphaTest, ExactlyOneCheckPairFits) {
  constexpr std::string_view kCset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  const std::string body = "1987654Ad4X4bL5ttr2310c";
  std::string found;
  int valid = 0;
  for (char first : kCset32) {
    for (char second : kCset32) {
      const std::string data = body + first + second;
      if (!Lint(Linter::kCsumAlpha, data).has_value()) {
        ++valid;
        found = data.substr(body.size());
      }
    }
  }
  EXPECT_EQ(valid, 1);
  EXPECT_EQ(found, "2K");
}

TEST(LintIsoTest, CountsMatchTheCodeLists) {
  int countries = 0;
  int currencies = 0;
  for (int code = 0; code < 1000; ++code) {
    char digits[] = {static_cast<char>('0' + code / 100), static_cast<char>('0' + code / 10 % 10),
                     static_cast<char>('0' + code % 10)};
    const std::string_view s(digits, 3);
    countries += Lint(Linter::kIso3166, s).has_value() ? 0 : 1;
    currencies += Lint(Linter::kIso4217, s).has_value() ? 0 : 1;
  }
  int alpha2 = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      const char code[] = {a, b};
      alpha2 += Lint(Linter::kIso3166Alpha2, std::string_view(code, 2)).has_value() ? 0 : 1;
    }
  }
  EXPECT_EQ(countries, 249);
  EXPECT_EQ(alpha2, 249);
  EXPECT_EQ(currencies, 179);
}

}  // namespace
}  // namespace vntrace::gs1::internal
