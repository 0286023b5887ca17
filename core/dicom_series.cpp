#include "core/dicom_series.h"

#include "core/error.h"
#include "core/itk_bridge.h"
#include "core/itk_errors.h"
#include "core/pixel_conversion.h"

#include <itkGDCMImageIO.h>
#include <itkGDCMSeriesFileNames.h>
#include <itkImageFileWriter.h>
#include <itkImageSeriesReader.h>
#include <itkMetaDataObject.h>

#include <cstdio>
#include <sstream>

namespace tweedie::detail {
namespace fs = std::filesystem;
namespace {

// DICOM decimal strings: backslash-separated, enough digits to round-trip a double.
std::string decimal_list(std::initializer_list<double> values) {
  std::ostringstream text;
  text.precision(17);
  bool first = true;
  for (double v : values) {
    if (!first) text << '\\';
    text << v;
    first = false;
  }
  return text.str();
}

void set_tag(itk::MetaDataDictionary& dictionary, const std::string& tag, const std::string& value) {
  itk::EncapsulateMetaData<std::string>(dictionary, tag, value);
}

}  // namespace

Image read_dicom_series(const fs::path& folder) {
  return rethrow_itk_errors("read DICOM series", folder, [&] {
    auto names = itk::GDCMSeriesFileNames::New();
    names->SetUseSeriesDetails(false);
    names->SetDirectory(folder.string());
    const auto& series = names->GetSeriesUIDs();
    if (series.empty()) throw IoError("folder '" + folder.string() + "' holds no DICOM series");
    if (series.size() > 1) {
      throw IoError("folder '" + folder.string() + "' holds " + std::to_string(series.size()) +
                    " DICOM series; give a folder with exactly one");
    }
    using Volume = itk::Image<float, 3>;
    auto reader = itk::ImageSeriesReader<Volume>::New();
    reader->SetImageIO(itk::GDCMImageIO::New());
    reader->SetFileNames(names->GetFileNames(series.front()));
    reader->Update();
    Volume::Pointer volume = reader->GetOutput();
    volume->DisconnectPipeline();
    return from_itk<3>(volume.GetPointer());
  });
}

void write_dicom_series(const Image& volume, const fs::path& folder) {
  std::error_code error;
  fs::create_directory(folder, error);
  if (error) throw IoError("cannot create folder '" + folder.string() + "': " + error.message());

  const ImageGeometry& g = volume.geometry();
  const Shape& s = g.shape;
  const auto& d = g.direction;
  // One IO object for the whole series: it makes the study, series and frame-of-reference UIDs
  // once and gives every file a new SOP instance UID.
  auto io = itk::GDCMImageIO::New();
  io->KeepOriginalUIDOff();

  using Slice = itk::Image<std::int16_t, 2>;
  Slice::SizeType size{{static_cast<itk::SizeValueType>(s.nx), static_cast<itk::SizeValueType>(s.ny)}};
  Slice::SpacingType spacing;
  spacing[0] = g.spacing[0];
  spacing[1] = g.spacing[1];
  for (std::int64_t z = 0; z < s.nz; ++z) {
    auto slice = Slice::New();
    slice->SetRegions(Slice::RegionType(size));
    slice->SetSpacing(spacing);
    slice->Allocate();
    convert_voxels(volume.values().subspan(static_cast<std::size_t>(z * s.slice_voxel_count()),
                                           static_cast<std::size_t>(s.slice_voxel_count())),
                   slice->GetBufferPointer());
    // Physical position of voxel (0, 0, z): origin + z · spacing_z · (third direction column).
    const double offset = static_cast<double>(z) * g.spacing[2];
    itk::MetaDataDictionary& tags = slice->GetMetaDataDictionary();
    set_tag(tags, "0008|0060", "CT");
    set_tag(tags, "0008|0008", "DERIVED\\SECONDARY");
    set_tag(tags, "0008|103e", "Tweedie");
    set_tag(tags, "0020|0013", std::to_string(z + 1));
    set_tag(tags, "0020|0032",
            decimal_list({g.origin[0] + offset * d[2], g.origin[1] + offset * d[5],
                          g.origin[2] + offset * d[8]}));
    set_tag(tags, "0020|0037", decimal_list({d[0], d[3], d[6], d[1], d[4], d[7]}));
    set_tag(tags, "0018|0050", decimal_list({g.spacing[2]}));
    set_tag(tags, "0028|1052", "0");
    set_tag(tags, "0028|1053", "1");
    set_tag(tags, "0028|1054", "HU");

    char name[32];
    std::snprintf(name, sizeof name, "slice%04lld.dcm", static_cast<long long>(z + 1));
    const fs::path file = folder / name;
    rethrow_itk_errors("write DICOM file", file, [&] {
      auto writer = itk::ImageFileWriter<Slice>::New();
      writer->SetImageIO(io);
      writer->SetFileName(file.string());
      writer->SetInput(slice);
      writer->Update();
    });
  }
}

}  // namespace tweedie::detail
