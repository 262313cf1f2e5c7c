// gs1::dl_compression: the compressed form of GS1 Digital Link URIs.
//
// GS1 Digital Link 1.1 defines a binary encoding of the AI data of a Digital Link, written in
// the URI-safe base64 alphabet as a single path segment after the stem
// (https://id.gs1.org/AN2yxDhfaiaw). This module encodes and decodes it.
//
// Thread-safety: stateless functions; safe from any thread.
//
// Example:
//   auto dl = gs1::ParseDigitalLink("https://id.gs1.org/00/998440410914660971");
//   std::string c = gs1::CompressDigitalLink(*dl);  // "https://id.gs1.org/AN2yxDhfaiaw"
//   auto back = gs1::DecompressDigitalLink(c);      // same path and attributes
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "gs1/digital_link.hpp"

namespace vntrace::gs1 {

struct CompressionOptions {
  // Use the standard's optimisation codes for common AI sequences (e.g. 01+21).
  bool use_optimisations = true;
  // Also compress non-GS1 query parameters (otherwise they stay as a plain query string).
  bool compress_other_params = true;
};

// Encodes all AI data (path and attributes) of `dl` into the compressed form and returns the
// full URI: dl.stem (or the canonical stem) + "/" + compressed segment [+ "?" + other params].
std::string CompressDigitalLink(const DigitalLink& dl, const CompressionOptions& options = {});

// True when the last path segment of `uri` has the shape of a compressed Digital Link (only
// base64url characters, no AI path). Cheap; does not decode.
bool LooksLikeCompressedDigitalLink(std::string_view uri);

// Decodes a compressed Digital Link URI and validates the result as ParseDigitalLink does.
// Returns kInvalidArgument saying what is wrong (bad character at position N, truncated data,
// unknown AI, invalid value) otherwise.
core::Result<DigitalLink> DecompressDigitalLink(std::string_view uri,
                                                const DigitalLinkOptions& options = {});

}  // namespace vntrace::gs1
