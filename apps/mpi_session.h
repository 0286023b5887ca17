// MPI for the program's front ends: started once, when the process was launched by mpirun or srun,
// finalised at exit; and the text messages the study scheduler and the slice distribution send.
#pragma once

#include <string>

namespace tweedie::app {

/// Whether this process was started by mpirun/srun (their environment variables are set).
bool launched_by_mpi();

/// Starts MPI (MPI_THREAD_FUNNELED) if it is not running yet; it is finalised at exit.
void start_mpi();

/// This process's rank and the number of ranks (0 and 1 when MPI was not started).
int mpi_rank();
int mpi_size();

void send_text(const std::string& text, int to, int tag);
/// The next message with `tag` from `from` (either negative: any); `source` and `received_tag`
/// receive its sender and tag.
std::string receive_text(int from, int tag, int* source = nullptr, int* received_tag = nullptr);

}  // namespace tweedie::app
