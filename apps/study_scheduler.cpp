#include "apps/study_scheduler.h"

namespace tweedie::app {

std::unique_ptr<CaseScheduler> make_case_scheduler() { return std::make_unique<ThreadScheduler>(); }

}  // namespace tweedie::app
