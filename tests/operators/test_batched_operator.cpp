#include "core/error.h"
#include "core/image_ops.h"
#include "operators/batched_operator.h"
#include "operators/ct_half_resolution.h"
#include "operators/joseph_projector.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>

using namespace tweedie;

namespace {

CtGeometry small_fan_geometry() {
  CtGeometry g = parallel_geometry(40, 0.8, 45);
  g.beam = BeamShape::fan;
  g.detector_shape = DetectorShape::arc;
  g.source_to_isocentre_mm = 120, g.source_to_detector_mm = 200;
  g.detectors = 61, g.detector_spacing_mm = 1.1;
  g.angles_deg = equally_spaced_angles(45, 360, 3);
  return g;
}

using Operators = std::span<const std::shared_ptr<const LinearOperator>>;

// The stacked projector, recording the stack sizes asked for.
struct RecordingFactory {
  CtGeometry geometry;
  std::vector<std::int64_t> sizes;
  StackedOperatorFactory factory() {
    return [this](std::int64_t slices) {
      sizes.push_back(slices);
      return std::make_shared<JosephProjector>(geometry, slices);
    };
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(batched_operator)

// Task k back-projects k + 2 sinograms of its own (so tasks end at different times and the stacks
// shrink); each result is the one-slice back-projection bit for bit, and the first stack holds
// every task's sinogram.
BOOST_AUTO_TEST_CASE(tasks_get_the_one_slice_adjoint_computed_on_a_stack) {
  const CtGeometry g = small_fan_geometry();
  const auto projector = std::make_shared<JosephProjector>(g);
  constexpr std::size_t kTasks = 5;
  std::vector<std::vector<Image>> sinograms(kTasks), results(kTasks);
  for (std::size_t k = 0; k < kTasks; ++k) {
    for (std::size_t call = 0; call < k + 2; ++call) {
      sinograms[k].emplace_back(projector->range());
      fill_normal(sinograms[k].back(), 100 * k + call);
    }
  }
  std::vector<BatchedTask> tasks;
  for (std::size_t k = 0; k < kTasks; ++k) {
    tasks.push_back([&, k](Operators ops) {
      for (const Image& sinogram : sinograms[k]) results[k].push_back(ops[0]->adjoint(sinogram));
    });
  }
  RecordingFactory stacks{g, {}};
  run_with_batched_operators({{projector, stacks.factory()}}, tasks);
  for (std::size_t k = 0; k < kTasks; ++k) {
    BOOST_REQUIRE(results[k].size() == k + 2);
    for (std::size_t call = 0; call < k + 2; ++call) {
      const Image expected = projector->adjoint(sinograms[k][call]);
      BOOST_TEST((results[k][call].array() == expected.array()).all(), "task " << k << ", call " << call);
    }
  }
  BOOST_REQUIRE(!stacks.sizes.empty());
  BOOST_TEST(stacks.sizes.front() == static_cast<std::int64_t>(kTasks));
  BOOST_TEST(std::ranges::is_sorted(stacks.sizes, std::greater<>()));  // made once per size, as tasks end
}

// Tasks projecting and back-projecting at once: each meeting computes the projections waiting as
// one stack and the back-projections as another, every result the one-slice operator's bits.
BOOST_AUTO_TEST_CASE(projections_and_back_projections_meet_on_stacks_of_their_own) {
  const CtGeometry g = small_fan_geometry();
  const auto projector = std::make_shared<JosephProjector>(g);
  constexpr std::size_t kTasks = 4;
  std::vector<Image> inputs, outputs(kTasks);
  for (std::size_t k = 0; k < kTasks; ++k) {
    inputs.emplace_back(k % 2 == 0 ? projector->domain() : projector->range());  // even: project
    fill_normal(inputs.back(), 20 + k);
  }
  std::vector<BatchedTask> tasks;
  for (std::size_t k = 0; k < kTasks; ++k) {
    tasks.push_back([&, k](Operators ops) {
      outputs[k] = k % 2 == 0 ? ops[0]->apply(inputs[k]) : ops[0]->adjoint(inputs[k]);
    });
  }
  RecordingFactory stacks{g, {}};
  run_with_batched_operators({{projector, stacks.factory()}}, tasks);
  for (std::size_t k = 0; k < kTasks; ++k) {
    const Image expected = k % 2 == 0 ? projector->apply(inputs[k]) : projector->adjoint(inputs[k]);
    BOOST_TEST((outputs[k].array() == expected.array()).all(), "task " << k);
  }
  BOOST_TEST((stacks.sizes == std::vector<std::int64_t>{2}));  // one stack of 2, used by both kinds
}

// The operator a task gets is the one-slice operator: its forward projection and its adjoint pair,
// and a sinogram of another shape is refused before it can reach the stack.
BOOST_AUTO_TEST_CASE(a_task_sees_an_exact_adjoint_pair) {
  const CtGeometry g = small_fan_geometry();
  double mismatch = 1.0;
  std::vector<BatchedTask> tasks{[&](Operators ops) { mismatch = check_adjoint(*ops[0]); },
                                 [&](Operators ops) { check_adjoint(*ops[0], 2); }};
  RecordingFactory stacks{g, {}};
  run_with_batched_operators({{std::make_shared<JosephProjector>(g), stacks.factory()}}, tasks);
  BOOST_TEST(mismatch < 1e-5);

  tasks.push_back([](Operators ops) { ops[0]->adjoint(Image(Shape::image(3, 4))); });
  BOOST_CHECK_THROW(run_with_batched_operators({{std::make_shared<JosephProjector>(g), stacks.factory()}}, tasks), ShapeError);
}

// A task that fails stops the others at their next adjoint; its exception comes out, and tasks
// take turns (callbacks from them never overlap).
BOOST_AUTO_TEST_CASE(a_failure_stops_every_task_and_is_rethrown) {
  const CtGeometry g = small_fan_geometry();
  const auto projector = std::make_shared<JosephProjector>(g);
  Image sinogram(projector->range());
  fill_normal(sinogram, 7);
  std::mutex turn;
  std::atomic<bool> overlapped = false;
  std::vector<int> calls(4, 0);
  std::vector<BatchedTask> tasks;
  for (std::size_t k = 0; k < 4; ++k) {
    tasks.push_back([&, k](Operators ops) {
      for (int call = 0; call < 1000; ++call) {
        if (!turn.try_lock()) {  // another task is computing now
          overlapped = true;
        } else {
          ++calls[k];
          turn.unlock();
        }
        if (k == 2 && call == 3) throw ParameterError("task 2 fails");
        ops[0]->adjoint(sinogram);
      }
    });
  }
  RecordingFactory stacks{g, {}};
  BOOST_CHECK_EXCEPTION(run_with_batched_operators({{projector, stacks.factory()}}, tasks), ParameterError,
                        [](const ParameterError& e) { return std::string(e.what()) == "task 2 fails"; });
  BOOST_TEST(!overlapped);
  for (std::size_t k = 0; k < 4; ++k) BOOST_TEST(calls[k] <= 5, "task " << k << " made " << calls[k] << " calls");
}

// Two operators (a scan and its half resolution): tasks go from one to the other at different
// times; each meeting stacks each operator's waiting calls apart, every result the one-slice
// operator's bits.
BOOST_AUTO_TEST_CASE(each_operator_meets_on_stacks_of_its_own) {
  const CtGeometry g = small_fan_geometry(), half = half_resolution(g);
  const auto full_projector = std::make_shared<JosephProjector>(g), half_projector = std::make_shared<JosephProjector>(half);
  constexpr std::size_t kTasks = 3;
  std::vector<std::vector<Image>> inputs(kTasks), outputs(kTasks);
  for (std::size_t k = 0; k < kTasks; ++k) {
    for (std::size_t call = 0; call < 4; ++call) {  // task k: k + 1 calls on the half, then the full scan
      inputs[k].emplace_back(call <= k ? half_projector->range() : full_projector->range());
      fill_normal(inputs[k].back(), 10 * k + call);
    }
  }
  std::vector<BatchedTask> tasks;
  for (std::size_t k = 0; k < kTasks; ++k) {
    tasks.push_back([&, k](Operators ops) {
      for (std::size_t call = 0; call < 4; ++call) outputs[k].push_back(ops[call <= k ? 1 : 0]->adjoint(inputs[k][call]));
    });
  }
  RecordingFactory full_stacks{g, {}}, half_stacks{half, {}};
  run_with_batched_operators({{full_projector, full_stacks.factory()}, {half_projector, half_stacks.factory()}}, tasks);
  for (std::size_t k = 0; k < kTasks; ++k) {
    for (std::size_t call = 0; call < 4; ++call) {
      const Image expected = (call <= k ? half_projector : full_projector)->adjoint(inputs[k][call]);
      BOOST_TEST((outputs[k][call].array() == expected.array()).all(), "task " << k << ", call " << call);
    }
  }
  BOOST_TEST(half_stacks.sizes.front() == 3);  // every task's first call
  BOOST_TEST(full_stacks.sizes.front() == 2);  // tasks 0 and 1 meet there at their third call
}

// A shared map whose output depends on every task's input: task k runs k + 1 rounds, each of
// k + 1 back-projections and then one map call. The map waits for every task still running, so in
// round r it sees exactly the tasks with more than r rounds, in task order with their parameters.
BOOST_AUTO_TEST_CASE(a_shared_map_sees_every_running_task_at_the_same_round) {
  const CtGeometry g = small_fan_geometry();
  const auto projector = std::make_shared<JosephProjector>(g);
  constexpr std::size_t kTasks = 4;
  std::vector<std::vector<double>> totals(kTasks);  // per task and round: the map's output
  std::vector<std::vector<std::size_t>> seen;        // per map meeting: the tasks in it
  const SharedMap sum_of_all = [&](std::span<const MapCall> calls) {
    std::vector<std::size_t> tasks;
    double sum = 0.0;
    for (const MapCall& call : calls) {
      tasks.push_back(call.task);
      sum += call.in->values()[0];
      BOOST_TEST(call.parameter == 0.5 * static_cast<double>(call.task));
    }
    for (const MapCall& call : calls) call.out->values()[0] = static_cast<float>(call.in->values()[0] + sum);
    seen.push_back(tasks);
  };
  std::vector<BatchedMapTask> tasks;
  for (std::size_t k = 0; k < kTasks; ++k) {
    tasks.push_back([&, k](Operators ops, std::span<const MapMember> maps) {
      Image sinogram(projector->range()), in(projector->domain()), out(projector->domain());
      for (std::size_t round = 0; round <= k; ++round) {
        for (std::size_t call = 0; call <= k; ++call) ops[0]->adjoint(sinogram);
        in.values()[0] = static_cast<float>(10 * k + round);
        maps[0](0.5 * static_cast<double>(k), in, out);
        totals[k].push_back(out.values()[0]);
      }
    });
  }
  RecordingFactory stacks{g, {}};
  run_with_batched_operators({{projector, stacks.factory()}}, {sum_of_all}, tasks);
  BOOST_REQUIRE(seen.size() == kTasks);
  for (std::size_t round = 0; round < kTasks; ++round) {
    std::vector<std::size_t> expected;
    double sum = 0.0;
    for (std::size_t k = round; k < kTasks; ++k) {
      expected.push_back(k);
      sum += static_cast<double>(10 * k + round);
    }
    BOOST_TEST(seen[round] == expected, boost::test_tools::per_element());
    for (std::size_t k = round; k < kTasks; ++k) BOOST_TEST(totals[k][round] == static_cast<double>(10 * k + round) + sum);
  }
}

BOOST_AUTO_TEST_SUITE_END()
