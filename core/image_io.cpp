#include "core/image_io.h"

#include "core/dicom_series.h"
#include "core/error.h"
#include "core/itk_bridge.h"
#include "core/itk_errors.h"
#include "core/metaimage_header.h"
#include "core/paths.h"
#include "core/pixel_conversion.h"
#include "core/resources.h"
#include "core/staged_output.h"

#include <itkGDCMImageIO.h>
#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>
#include <itkMetaImageIO.h>
#include <itkNiftiImageIO.h>
#include <itkPNGImageIO.h>
#include <itkTIFFImageIO.h>

#include <gdcmTrace.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

namespace tweedie {
namespace fs = std::filesystem;

namespace detail {

std::string one_line(const itk::ExceptionObject& error) {
  std::string text = error.GetDescription();
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

}  // namespace detail

namespace {

constexpr const char* kSupported =
    ".png .tif .tiff .mha .mhd .nii .nii.gz .dcm, or a folder for a DICOM series";

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

itk::ImageIOBase::Pointer make_io(FileFormat format) {
  switch (format) {
    case FileFormat::png: return itk::PNGImageIO::New().GetPointer();
    case FileFormat::tiff: return itk::TIFFImageIO::New().GetPointer();
    case FileFormat::metaimage: return itk::MetaImageIO::New().GetPointer();
    case FileFormat::nifti: return itk::NiftiImageIO::New().GetPointer();
    case FileFormat::dicom_file: return itk::GDCMImageIO::New().GetPointer();
    case FileFormat::dicom_series: break;
  }
  throw Error("no single-file reader for " + to_string(format));
}

// The whole gzip stream decompresses and ends with a valid trailer (zlib checks its CRC).
void require_complete_gzip(const fs::path& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) throw IoError("cannot open '" + path.string() + "'");
  std::vector<char> buffer(1 << 20);
  while (gzread(file, buffer.data(), static_cast<unsigned>(buffer.size())) > 0) {
  }
  int status = Z_OK;
  const std::string reason = gzerror(file, &status);
  gzclose(file);
  if (status != Z_OK && status != Z_STREAM_END) {
    throw IoError("'" + path.string() + "' is truncated or corrupt (gzip: " + reason + ")");
  }
}

// A compressed MetaImage's voxels decompress (zlib or gzip, as MetaIO takes them) to exactly the
// bytes its header announces; MetaIO itself loops forever on some corrupt streams.
void require_complete_compressed_voxels(const fs::path& path, const fs::path& data_file, std::uintmax_t offset,
                                        std::uintmax_t compressed_bytes, std::uintmax_t expected_bytes) {
  std::ifstream file(data_file, std::ios::binary);
  file.seekg(static_cast<std::streamoff>(offset));
  z_stream stream{};
  if (!file || inflateInit2(&stream, 15 + 32) != Z_OK) throw IoError("cannot read the voxels of '" + path.string() + "'");
  std::vector<char> input(1 << 16);
  std::vector<unsigned char> output(1 << 20);
  std::uintmax_t unread = compressed_bytes, produced = 0;
  int status = Z_OK;
  while (produced <= expected_bytes) {
    if (stream.avail_in == 0 && unread > 0) {
      file.read(input.data(), static_cast<std::streamsize>(std::min<std::uintmax_t>(unread, input.size())));
      const auto got = static_cast<std::uintmax_t>(file.gcount());
      if (got == 0) break;
      stream.next_in = reinterpret_cast<Bytef*>(input.data());
      stream.avail_in = static_cast<uInt>(got);
      unread -= got;
    }
    stream.next_out = output.data();
    stream.avail_out = static_cast<uInt>(output.size());
    status = inflate(&stream, Z_NO_FLUSH);
    produced += output.size() - stream.avail_out;
    const bool needs_input = status == Z_BUF_ERROR && stream.avail_in == 0 && unread > 0;
    if (status != Z_OK && !needs_input) break;
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END || produced != expected_bytes) {
    throw IoError("'" + path.string() + "' holds compressed voxels that do not decompress to the " +
                  std::to_string(expected_bytes) + " bytes its header announces");
  }
}

// ITK reports a short read of MetaImage or NIfTI voxel data only as a console message and returns
// the image padded with garbage, so completeness is checked before reading. A compressed MetaImage
// without CompressedDataSize is read by MetaIO to the end of its data file, whatever that is (a
// folder's end is 2⁶³ on ext4): the data file must be a regular file holding what the header announces.
// `checked_header`: the MetaImage header when the caller has already read it.
void require_complete_data(itk::ImageIOBase* io, FileFormat format, const fs::path& path,
                           const std::optional<MetaImageHeader>& checked_header = std::nullopt) {
  fs::path data_file = path;
  std::uintmax_t header_bytes = 0;
  std::uintmax_t data_bytes = io->GetImageSizeInBytes();
  bool compressed = false;
  std::string announced = std::to_string(data_bytes) + " bytes of voxels";
  if (format == FileFormat::metaimage) {
    const MetaImage* meta = static_cast<itk::MetaImageIO*>(io)->GetMetaImagePointer();
    const std::string element_file = meta->ElementDataFileName();  // LOCAL or one file (read_metaimage_header)
    const MetaImageHeader header = checked_header ? *checked_header : read_metaimage_header(path);
    if (element_file == "LOCAL") {
      header_bytes = header.bytes;
    } else {
      data_file = path.parent_path() / element_file;
      if (!is_file(data_file)) {
        throw IoError("'" + path.string() + "' names its voxel data file '" + element_file + "', which is not a file");
      }
    }
    if (meta->CompressedData()) {
      compressed = true;
      data_bytes = header.compressed_data_size;
      announced = std::to_string(data_bytes) + " bytes of compressed voxels";
    }
  } else if (format == FileFormat::nifti && lowercase(path.extension().string()) == ".gz") {
    return require_complete_gzip(path);
  } else if (format == FileFormat::nifti) {
    header_bytes = 352;  // the NIfTI-1 header and extension flag precede the voxels
  } else {
    return;
  }
  std::error_code error;
  const std::uintmax_t available = fs::file_size(data_file, error);
  if (error || available < header_bytes || available - header_bytes < data_bytes) {
    throw IoError("'" + path.string() + "' is truncated: its header announces " + announced + ", but '" +
                  data_file.string() + "' " +
                  (error ? "cannot be read" : "holds " + std::to_string(available) + " bytes"));
  }
  if (compressed) {
    require_complete_compressed_voxels(path, data_file, header_bytes, data_bytes > 0 ? data_bytes : available - header_bytes,
                                       io->GetImageSizeInBytes());
  }
}

// A header may announce any size: the voxels (read as stored, then as floats) must fit in memory
// before ITK allocates them.
void require_memory_for_voxels(itk::ImageIOBase* io, const fs::path& path) {
  double voxels = io->GetNumberOfComponents();
  std::string extent;
  for (unsigned int d = 0; d < io->GetNumberOfDimensions(); ++d) {
    voxels *= static_cast<double>(io->GetDimensions(d));
    extent += (d ? "×" : "") + std::to_string(io->GetDimensions(d));
  }
  const double bytes_per_voxel = sizeof(float) + static_cast<double>(io->GetComponentSize());
  require_memory(voxels * bytes_per_voxel, "'" + path.string() + "' (" + extent + " voxels)");
}

template <unsigned int D>
Image read_file(itk::ImageIOBase* io, const fs::path& path) {
  using ItkImage = itk::Image<float, D>;
  auto reader = itk::ImageFileReader<ItkImage>::New();
  reader->SetImageIO(io);
  reader->SetFileName(path.string());
  reader->Update();
  typename ItkImage::Pointer image = reader->GetOutput();
  image->DisconnectPipeline();
  return from_itk<D>(image.GetPointer());
}

// A 3D volume with a single slice becomes a 2D image (formats such as PNG hold only 2D).
Image as_two_dimensional(const Image& image) {
  ImageGeometry g = image.geometry();
  g.shape = Shape::image(g.shape.nx, g.shape.ny);
  return Image::adopt(g, image.shared_voxels());
}

template <class T, unsigned int D>
void write_file(const Image& image, itk::ImageIOBase* io, const fs::path& path) {
  auto source = to_itk<D>(image);
  using Stored = itk::Image<T, D>;
  typename Stored::Pointer stored;
  if constexpr (std::is_same_v<T, float>) {
    stored = source;
  } else {
    stored = Stored::New();
    stored->CopyInformation(source);
    stored->SetRegions(source->GetLargestPossibleRegion());
    stored->Allocate();
    detail::convert_voxels(image.values(), stored->GetBufferPointer());
  }
  auto writer = itk::ImageFileWriter<Stored>::New();
  writer->SetImageIO(io);
  writer->SetFileName(path.string());
  writer->SetInput(stored);
  writer->Update();
}

struct ValueRange {
  float lowest;
  float highest;
};

// The bytes an image takes on disk: its voxels as stored, for the formats that store them
// uncompressed; 0 (nothing to check beforehand) for PNG and gzipped NIfTI, whose size depends on
// the content.
double stored_bytes(const Image& image, const fs::path& path, FileFormat format, std::size_t bytes_per_voxel) {
  if (format == FileFormat::png || lowercase(path.extension().string()) == ".gz") return 0.0;
  return static_cast<double>(image.size()) * static_cast<double>(bytes_per_voxel);
}

// MetaImage and NIfTI writers report a short write (a full disk) only on the console and return as if
// they had succeeded: the written file is checked against its own header before it replaces anything.
void require_written_whole(FileFormat format, const fs::path& written, const fs::path& destination) {
  if (format != FileFormat::metaimage && format != FileFormat::nifti) return;
  try {
    itk::ImageIOBase::Pointer io = make_io(format);
    io->SetFileName(written.string());
    io->ReadImageInformation();
    require_complete_data(io, format, written);
  } catch (const std::exception&) {
    throw IoError("cannot write '" + destination.string() + "': the file came out incomplete (is the disk full?)");
  }
}

// Checks the values fit T and the disk has room, writes through a staging folder, checks the result.
template <class T>
void write_stored(const Image& image, const fs::path& path, FileFormat format, ValueRange range,
                  const char* type_name) {
  detail::require_representable<T>(range.lowest, range.highest, type_name, path.string());
  StagedOutput output(path);
  require_disk_space(output.path().parent_path(), stored_bytes(image, path, format, sizeof(T)), "'" + path.string() + "'");
  if (format == FileFormat::dicom_series) {
    detail::write_dicom_series(image, output.path());
  } else {
    itk::ImageIOBase::Pointer io = make_io(format);
    detail::rethrow_itk_errors("write", path, [&] {
      if (image.shape().dimension == 2) {
        write_file<T, 2>(image, io, output.path());
      } else {
        write_file<T, 3>(image, io, output.path());
      }
    });
    require_written_whole(format, output.path(), path);
  }
  output.commit();
}

StoredType resolve_stored_type(StoredType requested, FileFormat format, ValueRange range) {
  if (requested != StoredType::automatic) return requested;
  switch (format) {
    case FileFormat::png:
      return range.lowest >= -0.5f && range.highest < 255.5f ? StoredType::uint8
                                                             : StoredType::uint16;
    case FileFormat::dicom_series: return StoredType::int16;
    default: return StoredType::float32;
  }
}

std::string to_string(StoredType type) {
  switch (type) {
    case StoredType::automatic: return "auto";
    case StoredType::uint8: return "uint8";
    case StoredType::uint16: return "uint16";
    case StoredType::int16: return "int16";
    case StoredType::float32: return "float32";
  }
  return "?";
}

void require_supported(FileFormat format, StoredType type, const Image& image,
                       const fs::path& path) {
  const auto refuse = [&](const std::string& why) {
    throw ParameterError("cannot write '" + path.string() + "': " + why);
  };
  if (format == FileFormat::dicom_file) {
    refuse("single DICOM files are read only; give a folder to write a DICOM series");
  }
  if (format == FileFormat::png) {
    if (image.shape().dimension == 3 && image.shape().nz > 1) {
      refuse("PNG holds 2D images, not a volume of " + image.shape().to_string());
    }
    if (type != StoredType::uint8 && type != StoredType::uint16) {
      refuse("PNG stores uint8 or uint16, not " + to_string(type));
    }
  }
  if (format == FileFormat::dicom_series && type != StoredType::int16) {
    refuse("DICOM series are written as int16 Hounsfield units, not " + to_string(type));
  }
}

}  // namespace

FileFormat format_of(const fs::path& path) {
  const std::string name = lowercase(path.filename().string());
  const auto ends_with = [&](const char* suffix) { return name.ends_with(suffix); };
  if (ends_with(".nii.gz") || ends_with(".nii")) return FileFormat::nifti;
  if (ends_with(".png")) return FileFormat::png;
  if (ends_with(".tif") || ends_with(".tiff")) return FileFormat::tiff;
  if (ends_with(".mha") || ends_with(".mhd")) return FileFormat::metaimage;
  if (ends_with(".dcm")) return FileFormat::dicom_file;
  if (path.extension().empty()) return FileFormat::dicom_series;
  throw IoError("unsupported file type '" + path.extension().string() + "' of '" + path.string() +
                "' (supported: " + kSupported + ")");
}

std::string to_string(FileFormat format) {
  switch (format) {
    case FileFormat::png: return "PNG";
    case FileFormat::tiff: return "TIFF";
    case FileFormat::metaimage: return "MetaImage";
    case FileFormat::nifti: return "NIfTI";
    case FileFormat::dicom_file: return "DICOM";
    case FileFormat::dicom_series: return "DICOM series";
  }
  return "?";
}

StoredType parse_stored_type(const std::string& name) {
  for (StoredType type : {StoredType::automatic, StoredType::uint8, StoredType::uint16,
                          StoredType::int16, StoredType::float32}) {
    if (name == to_string(type)) return type;
  }
  throw ParameterError("unknown pixel type '" + name + "' (choose auto, uint8, uint16, int16, float32)");
}

Image read_image(const fs::path& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (!fs::exists(status)) throw IoError("no such file or folder '" + path.string() + "'");
  if (fs::is_directory(status)) return detail::read_dicom_series(path);

  const FileFormat format = format_of(path);
  if (format == FileFormat::dicom_series) {
    throw IoError("'" + path.string() + "' has no file extension (supported: " + kSupported + ")");
  }
  std::optional<MetaImageHeader> header;
  if (format == FileFormat::metaimage) header = read_metaimage_header(path);  // before MetaIO trusts it
  itk::ImageIOBase::Pointer io = make_io(format);
  if (!io->CanReadFile(path.string().c_str())) {
    throw IoError("'" + path.string() + "' is not a readable " + to_string(format) + " file");
  }
  return detail::rethrow_itk_errors("read", path, [&] {
    io->SetFileName(path.string());
    io->ReadImageInformation();
    require_memory_for_voxels(io, path);
    require_complete_data(io, format, path, header);
    unsigned int dimensions = io->GetNumberOfDimensions();
    // Axes of length 1 beyond the third (e.g. NIfTI's time axis) do not count.
    while (dimensions > 3 && io->GetDimensions(dimensions - 1) == 1) --dimensions;
    if (dimensions < 2 || dimensions > 3) {
      throw IoError("'" + path.string() + "' has " + std::to_string(dimensions) +
                    " dimensions; Tweedie reads 2D images and 3D volumes");
    }
    return dimensions == 2 ? read_file<2>(io, path) : read_file<3>(io, path);
  });
}

void silence_io_library_warnings() {
  itk::Object::GlobalWarningDisplayOff();
  gdcm::Trace::WarningOff();
}

void write_image(const Image& image, const fs::path& path, const WriteOptions& options) {
  if (image.empty()) throw ParameterError("cannot write an empty image to '" + path.string() + "'");
  require_finite(image, "the image for '" + path.string() + "'");
  const FileFormat format = format_of(path);
  const ValueRange range{image.array().minCoeff(), image.array().maxCoeff()};
  const StoredType type = resolve_stored_type(options.stored_type, format, range);
  require_supported(format, type, image, path);
  const Image flat = format == FileFormat::png && image.shape().dimension == 3
                         ? as_two_dimensional(image)
                         : Image::adopt(image.geometry(), image.shared_voxels());
  switch (type) {
    case StoredType::uint8: write_stored<std::uint8_t>(flat, path, format, range, "uint8"); break;
    case StoredType::uint16: write_stored<std::uint16_t>(flat, path, format, range, "uint16"); break;
    case StoredType::int16: write_stored<std::int16_t>(flat, path, format, range, "int16"); break;
    default: write_stored<float>(flat, path, format, range, "float32"); break;
  }
}

}  // namespace tweedie
