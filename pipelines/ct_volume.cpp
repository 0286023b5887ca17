#include "pipelines/ct_volume.h"

#include "core/image_io.h"
#include "operators/joseph_projector.h"

namespace tweedie {

Image read_attenuation_image(const std::string& path, const CtGeometry& geometry, ImageUnits units) {
  Image image = read_image(path);
  require_matching_image(geometry, image);
  require_finite(image, "'" + path + "'");
  if (units == ImageUnits::hounsfield) hounsfield_to_attenuation(image);
  return image;
}

Image read_sinogram(const std::string& path, const CtGeometry& geometry) {
  Image sinogram = read_image(path);
  try {
    require_matching_sinogram(geometry, sinogram);
  } catch (const ShapeError& e) {
    throw ShapeError("'" + path + "': " + e.what());
  }
  require_finite(sinogram, "the sinogram '" + path + "'");
  return sinogram;
}

std::int64_t slices_of(const Image& image) { return image.shape().dimension == 3 ? image.shape().nz : 0; }

Image slice_of(const Image& stack, std::int64_t z, const ImageGeometry& grid) {
  Image slice(grid);
  slice.slice(0) = stack.slice(z);
  return slice;
}

void carry_slice_geometry(const Image& from, Image& to) {
  if (from.shape().dimension != 3 || to.shape().dimension != 3) return;
  ImageGeometry g = to.geometry();
  g.spacing[2] = from.geometry().spacing[2];
  g.origin[2] = from.geometry().origin[2];
  to.set_geometry(g);
}

Image fbp_volume(const CtGeometry& geometry, const Image& sinogram, FbpFilter filter, ImageUnits units) {
  Image image = FilteredBackprojection(geometry, filter).reconstruct(sinogram);
  if (units == ImageUnits::hounsfield) attenuation_to_hounsfield(image);
  carry_slice_geometry(sinogram, image);
  return image;
}

Image project_volume(const CtGeometry& geometry, const Image& image, const SliceProgress& progress) {
  const JosephProjector one_slice(geometry, 0);
  Image sinogram(JosephProjector(geometry, slices_of(image)).range());
  const std::int64_t slices = sinogram.shape().nz;
  for (std::int64_t z = 0; z < slices; ++z) {
    sinogram.slice(z) = one_slice.apply(slice_of(image, z, one_slice.domain())).slice(0);
    if (progress && !progress(z + 1, slices) && z + 1 < slices) throw OperationStopped("projection stopped");
  }
  carry_slice_geometry(image, sinogram);
  return sinogram;
}

}  // namespace tweedie
