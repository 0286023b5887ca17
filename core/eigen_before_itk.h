// Include first in every translation unit that includes ITK headers.
//
// Debian's ITK 5.2 bundles its own Eigen 3.3 (as "itkeigen/Eigen/...") with the same include guards
// as the system's Eigen 3.4 that Tweedie uses. Whichever copy is seen first wins module by module,
// and a mixture does not compile. Including the modules ITK uses from the system Eigen first makes
// ITK's templates use Eigen 3.4 too (the API they use is unchanged).
#pragma once

#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <Eigen/Geometry>
