// DIR/manifest.json of a study: what produced its results — Tweedie's version and git revision,
// compiler and flags, the CPU, library versions, threads and MPI ranks, the spec with its SHA-256,
// and the SHA-256 of every input file and model file the spec uses.
#pragma once

#include "pipelines/study_spec.h"

#include <filesystem>

namespace tweedie {

/// Writes the manifest through a staged file.
void write_study_manifest(const StudySpec& spec, int processes, const std::filesystem::path& path);

}  // namespace tweedie
