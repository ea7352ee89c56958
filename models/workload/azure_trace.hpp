// The public Azure LLM inference traces (AzurePublicDataset: AzureLLMInferenceTrace_code.csv and _conv.csv
// of 2023, the Splitwise paper's; the week-long 2024 traces, DynamoLLM's), read natively:
//   TIMESTAMP,ContextTokens,GeneratedTokens
//   2023-11-16 18:15:46.6805900,4808,10
// TIMESTAMP is a UTC date and time with any number of fractional digits (2023: seven) and an optional zone
// (2024: "+00:00"); a 'T' may separate date and time. Rows must be in time order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/csv.hpp"

namespace dcsim::workload {

// An instant read from a trace: whole seconds since 1970 and the fraction of the next second.
struct TraceInstant {
  std::int64_t s = 0;
  double frac = 0;  // in [0, 1)
};
// Parses "YYYY-MM-DD HH:MM:SS[.digits][Z|+hh:mm|-hh:mm]" ('T' or ' ' between date and time); a time
// without a zone is UTC. nullopt if it is not one.
std::optional<TraceInstant> parse_trace_instant(std::string_view text);

struct AzureRow {
  TraceInstant at;
  std::uint32_t context_tokens = 0, generated_tokens = 0;
};

// The Azure header (TIMESTAMP,ContextTokens,GeneratedTokens), as a trace's first line shows it.
bool is_azure_header(const CsvRow& r);
// One data row; `previous` is the row before (nullptr for the first). Throws ConfigError at file:line:column
// for an unparsable time, a token count that is not a whole number (context >= 0, generated >= 1), a row
// earlier than the one before, or a row without three columns.
AzureRow parse_azure_row(const CsvRow& r, const AzureRow* previous);

}  // namespace dcsim::workload
