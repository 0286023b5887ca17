#include "core/eigen_before_itk.h"  // first: see there
#include "core/error.h"
#include "core/image_io.h"
#include "support/shared_data.h"
#include "support/temporary_folder.h"

#include <itkGDCMImageIO.h>
#include <itkImageFileReader.h>
#include <itkMetaDataObject.h>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>

#include <zlib.h>

using namespace tweedie;
namespace fs = std::filesystem;
namespace data = boost::unit_test::data;

namespace {

// Integer values in [low, low + span) so that every format, integer or float, stores them exactly.
Image integer_ramp(const ImageGeometry& geometry, int low, int span) {
  Image image(geometry);
  for (std::int64_t i = 0; i < image.size(); ++i) {
    image.data()[i] = static_cast<float>(low + (i * 7919) % span);
  }
  return image;
}

ImageGeometry volume_geometry() {
  // Spacing and origin exactly representable in float32 (NIfTI stores them as float).
  return {.shape = Shape::volume(19, 13, 4), .spacing = {0.75, 0.5, 2.5}, .origin = {-96.5, 12.25, 40}};
}

void check_same(const Image& expected, const Image& actual) {
  BOOST_TEST(actual.shape().to_string() == expected.shape().to_string());
  for (int axis = 0; axis < expected.shape().dimension; ++axis) {
    BOOST_TEST(actual.geometry().spacing[axis] == expected.geometry().spacing[axis],
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(actual.geometry().origin[axis] == expected.geometry().origin[axis],
               boost::test_tools::tolerance(1e-9));
  }
  BOOST_TEST((actual.array() == expected.array()).all());
}

// Reading `file` throws an IoError whose message holds `words`.
void require_refused(const fs::path& file, const std::string& words) {
  BOOST_CHECK_EXCEPTION(read_image(file), IoError, [&](const IoError& e) {
    BOOST_TEST_INFO(e.what());
    return std::string(e.what()).find(words) != std::string::npos;
  });
}

void truncate_to_half(const fs::path& path) {
  fs::resize_file(path, fs::file_size(path) / 2);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(image_io)

BOOST_DATA_TEST_CASE(volumes_round_trip_exactly,
                     data::make({"v.mha", "v.mhd", "v.nii", "v.nii.gz", "series"}), name) {
  testing::TemporaryFolder folder;
  const Image volume = integer_ramp(volume_geometry(), -1024, 3000);
  write_image(volume, folder / name);
  check_same(volume, read_image(folder / name));
}

BOOST_DATA_TEST_CASE(images_round_trip_exactly,
                     data::make({"i.png", "i.mha", "i.nii", "i.tif"}), name) {
  testing::TemporaryFolder folder;
  const Image image = integer_ramp({.shape = Shape::image(31, 17), .spacing = {0.5, 0.25, 1}}, 0, 256);
  write_image(image, folder / name);
  const Image back = read_image(folder / name);
  BOOST_TEST(back.shape().dimension == 2);
  BOOST_TEST((back.array() == image.array()).all());
}

BOOST_AUTO_TEST_CASE(tiff_volumes_keep_their_values) {
  // TIFF stores neither an origin nor a slice spacing: only the voxels are compared.
  testing::TemporaryFolder folder;
  const Image volume = integer_ramp(volume_geometry(), -1024, 3000);
  write_image(volume, folder / "v.tif");
  const Image back = read_image(folder / "v.tif");
  BOOST_TEST(back.shape() == volume.shape());
  BOOST_TEST((back.array() == volume.array()).all());
}

BOOST_AUTO_TEST_CASE(png_is_8_bit_when_values_fit_and_16_bit_otherwise) {
  testing::TemporaryFolder folder;
  const Image small = integer_ramp({.shape = Shape::image(16, 16)}, 0, 256);
  const Image large = integer_ramp({.shape = Shape::image(16, 16)}, 0, 65536);
  write_image(small, folder / "small.png");
  write_image(large, folder / "large.png");
  BOOST_TEST(fs::file_size(folder / "small.png") < fs::file_size(folder / "large.png"));
  BOOST_TEST((read_image(folder / "large.png").array() == large.array()).all());
  BOOST_TEST(read_image(folder / "large.png").array().maxCoeff() > 60000.0f);
}

BOOST_AUTO_TEST_CASE(integer_formats_round_to_nearest) {
  testing::TemporaryFolder folder;
  Image image(Shape::image(12, 12));
  image.at(0, 0) = 1.4f;
  image.at(1, 0) = 1.6f;
  write_image(image, folder / "rounded.png");
  const Image back = read_image(folder / "rounded.png");
  BOOST_TEST(back.at(0, 0) == 1.0f);
  BOOST_TEST(back.at(1, 0) == 2.0f);
}

BOOST_AUTO_TEST_CASE(dicom_series_keep_hounsfield_units_and_geometry) {
  testing::TemporaryFolder folder;
  const Image volume = integer_ramp(volume_geometry(), -1024, 4096);
  write_image(volume, folder / "ct");
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(folder / "ct")) files += entry.is_regular_file();
  BOOST_TEST(files == 4u);  // one per slice
  check_same(volume, read_image(folder / "ct"));
}

// Read by ITK itself (GDCM), not by our reader: HU through slope 1 / intercept 0, one series UID
// shared by the files of a series, and a new one for every series written.
BOOST_AUTO_TEST_CASE(dicom_series_read_by_itk_in_hounsfield_units_with_a_new_series_uid) {
  testing::TemporaryFolder folder;
  const Image volume = integer_ramp(volume_geometry(), -1024, 4096);
  write_image(volume, folder / "first");
  write_image(volume, folder / "second");
  const auto series_uid = [&](const std::string& series, int slice) {
    auto io = itk::GDCMImageIO::New();
    auto reader = itk::ImageFileReader<itk::Image<float, 2>>::New();
    reader->SetImageIO(io);
    reader->SetFileName((folder / series / ("slice000" + std::to_string(slice) + ".dcm")).string());
    reader->Update();
    BOOST_TEST(io->GetRescaleSlope() == 1.0);
    BOOST_TEST(io->GetRescaleIntercept() == 0.0);
    const auto* hu = reader->GetOutput()->GetBufferPointer();
    const std::int64_t first_voxel = (slice - 1) * volume.shape().slice_voxel_count();
    for (std::int64_t i = 0; i < volume.shape().slice_voxel_count(); ++i) {
      BOOST_TEST_REQUIRE(hu[i] == volume.data()[first_voxel + i]);
    }
    std::string uid;
    BOOST_TEST_REQUIRE(itk::ExposeMetaData<std::string>(io->GetMetaDataDictionary(), "0020|000e", uid));
    return uid;
  };
  BOOST_TEST(series_uid("first", 1) == series_uid("first", 4));
  BOOST_TEST(series_uid("first", 1) != series_uid("second", 1));
}

BOOST_AUTO_TEST_CASE(dicom_series_keep_a_rotated_orientation) {
  testing::TemporaryFolder folder;
  ImageGeometry g = volume_geometry();
  g.direction = {0, -1, 0, 1, 0, 0, 0, 0, 1};  // rows run along -x, columns along +y
  const Image volume = integer_ramp(g, -1000, 2000);
  write_image(volume, folder / "rotated");
  const Image back = read_image(folder / "rotated");
  for (int i = 0; i < 9; ++i) {
    BOOST_TEST(back.geometry().direction[i] == g.direction[i], boost::test_tools::tolerance(1e-9));
  }
  check_same(volume, back);
}

BOOST_AUTO_TEST_CASE(missing_files_are_named) {
  BOOST_CHECK_EXCEPTION(read_image("/nonexistent/scan.nii.gz"), IoError, [](const IoError& e) {
    return std::string(e.what()) == "no such file or folder '/nonexistent/scan.nii.gz'";
  });
}

BOOST_AUTO_TEST_CASE(unsupported_extensions_are_named) {
  testing::TemporaryFolder folder;
  std::ofstream(folder / "photo.jpg") << "not really";
  require_refused(folder / "photo.jpg", "unsupported file type '.jpg'");
  const Image image(Shape::image(4, 4));
  BOOST_CHECK_THROW(write_image(image, folder / "out.bmp"), IoError);
  BOOST_TEST(!fs::exists(folder / "out.bmp"));
}

BOOST_DATA_TEST_CASE(truncated_files_are_refused,
                     data::make({"t.mha", "t.mhd", "t.nii", "t.nii.gz", "t.png", "t.tif"}), name) {
  testing::TemporaryFolder folder;
  write_image(integer_ramp({.shape = Shape::image(64, 64)}, 0, 256), folder / name);
  const fs::path data_file = fs::path(folder / name).replace_extension(".raw");
  truncate_to_half(fs::exists(data_file) ? data_file : folder / name);
  BOOST_CHECK_EXCEPTION(read_image(folder / name), IoError, [&](const IoError& e) {
    return std::string(e.what()).find(name) != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(corrupt_files_are_refused) {
  testing::TemporaryFolder folder;
  std::ofstream(folder / "noise.png") << "\x89PNG but then nonsense follows";
  BOOST_CHECK_THROW(read_image(folder / "noise.png"), IoError);
  std::ofstream(folder / "bad.mha") << "ObjectType = Image\nNDims = 2\nDimSize = 4 4\n"
                                       "ElementType = MET_FLOAT\nElementDataFile = LOCAL\n";
  BOOST_CHECK_THROW(read_image(folder / "bad.mha"), IoError);
  fs::create_directory(folder / "empty");
  require_refused(folder / "empty", "holds no DICOM series");
}

BOOST_AUTO_TEST_CASE(a_header_announcing_more_voxels_than_memory_holds_is_refused_before_reading) {
  // Compressed data cannot be sized from the file, so only the memory check stands between such a
  // header and an allocation of 7 PiB.
  testing::TemporaryFolder folder;
  std::ofstream(folder / "bomb.mha") << "ObjectType = Image\nNDims = 3\nDimSize = 100000 100000 100000\n"
                                        "ElementType = MET_FLOAT\nCompressedData = True\nElementDataFile = bomb.zraw\n";
  std::ofstream(folder / "bomb.zraw") << "x";
  BOOST_CHECK_EXCEPTION(read_image(folder / "bomb.mha"), ResourceError, [](const ResourceError& e) {
    const std::string message = e.what();
    return message.find("100000×100000×100000 voxels) needs 7.1 PiB, more than the") != std::string::npos &&
           message.find("of memory available") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(voxels_in_several_files_are_refused) {
  // Found by fuzzing, each in ITK's MetaIO: a data-file name holding "%n" was handed to printf as its
  // format (abort); a numbered list whose pattern held spaces read past MetaIO's word buffers, one
  // without a step divided by zero; a LIST of names with blank lines crashed it.
  testing::TemporaryFolder folder;
  const std::string slice(4 * 4 * sizeof(float), '\0');
  std::ofstream(folder / "s00.raw", std::ios::binary) << slice;
  std::ofstream(folder / "s01.raw", std::ios::binary) << slice;
  for (const char* files : {"data%n%s.raw", "LOGA%die))) ze = 4 4", "s%02d.raw 0 1", "s%02d.raw 0 1 1", "LIST\ns00.raw\n\ns01.raw"}) {
    std::ofstream(folder / "list.mhd") << "ObjectType = Image\nNDims = 3\nDimSize = 4 4 2\nElementType = MET_FLOAT\n"
                                          "ElementDataFile = " << files << "\n";
    require_refused(folder / "list.mhd", "header line 5, stores the voxels in several files");
  }
}

BOOST_AUTO_TEST_CASE(compressed_data_must_be_a_file_holding_the_announced_bytes) {
  // Found by fuzzing: without CompressedDataSize MetaIO reads its data file to the end, and a folder's
  // end is 2⁶³ bytes away (an allocation of 8 EiB).
  testing::TemporaryFolder folder;
  fs::create_directory(folder / "data");
  const std::string header = "ObjectType = Image\nNDims = 2\nDimSize = 4 4\nElementType = MET_FLOAT\nCompressedData = True\n";
  std::ofstream(folder / "folder.mha") << header << "ElementDataFile = data\n";
  std::ofstream(folder / "short.mha") << header << "CompressedDataSize = 5000\nElementDataFile = LOCAL\nxyz";
  std::ofstream(folder / "nonsense.mha") << header << "CompressedDataSize = -2.5\nElementDataFile = LOCAL\nxyz";
  const auto refused_with = [&](const char* name, const std::string& words) {
    require_refused(folder / name, name);
    require_refused(folder / name, words);
  };
  std::ofstream(folder / "long.mha") << header << "ElementDataFile = " << std::string(1000, 'x') << "\n";
  refused_with("folder.mha", "names its voxel data file 'data', which is not a file");
  refused_with("long.mha", "one file name of at most 254 characters");  // found by fuzzing: the file system's refusal threw
  refused_with("short.mha", "announces 5000 bytes of compressed voxels");
  refused_with("nonsense.mha", "CompressedDataSize '-2.5', which is not a byte count");
}

BOOST_AUTO_TEST_CASE(compressed_voxels_must_decompress_to_the_announced_size) {
  // Found by fuzzing: MetaIO looped forever inflating 51 corrupt bytes.
  testing::TemporaryFolder folder;
  std::string voxels(16, '\0');
  for (std::size_t i = 0; i < voxels.size(); ++i) voxels[i] = static_cast<char>(3 * i);
  std::string packed(compressBound(voxels.size()), '\0');
  uLongf packed_size = packed.size();
  BOOST_TEST_REQUIRE(compress(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(voxels.data()),
                              voxels.size()) == Z_OK);
  packed.resize(packed_size);
  const auto write = [&](const char* name, const std::string& data) {
    std::ofstream(folder / name, std::ios::binary) << "ObjectType = Image\nNDims = 2\nDimSize = 4 4\nElementType = MET_UCHAR\n"
                                                      "CompressedData = True\nCompressedDataSize = " << data.size()
                                                   << "\nElementDataFile = LOCAL\n" << data;
  };
  write("whole.mha", packed);
  const Image image = read_image(folder / "whole.mha");
  BOOST_TEST(image.at(3, 3) == 45.0f);
  std::string garbled = packed;
  garbled[garbled.size() / 2] ^= 0x5a;
  write("garbled.mha", garbled);
  write("short.mha", packed.substr(0, packed.size() - 5));
  write("noise.mha", std::string(51, 'u'));
  for (const char* name : {"garbled.mha", "short.mha", "noise.mha"}) {
    require_refused(folder / name, "holds compressed voxels that do not decompress to the 16 bytes its header announces");
  }
}

BOOST_AUTO_TEST_CASE(a_field_name_longer_than_metaio_holds_is_refused_before_it_reads) {
  // Found by fuzzing: MetaIO copies a field's name into 255 bytes; a longer one overflowed them (abort).
  testing::TemporaryFolder folder;
  std::ofstream(folder / "name.mha") << "ObjectType = Image\nNDims = 2\nDimSize" << std::string(300, ')') << " = 4 4\n"
                                        "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n" << std::string(16, 'x');
  require_refused(folder / "name.mha", "has a header field name of 308 characters; MetaImage allows 254");
  // Found by fuzzing: a first field named "ElementDataFileX" ended the check before NDims, and MetaIO
  // then took 8.9·10¹⁹ dimensions (24 GB before the kernel killed it).
  std::ofstream(folder / "late.mha") << "ElementDataFileX = Image\nNDims = 1\nNDims = 88888888888888888880001609090\n"
                                        "DimSize = 4 4\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n" << std::string(16, 'x');
  require_refused(folder / "late.mha", "NDims '88888888888888888880001609090'");
  // Found by fuzzing: "NDims\0=…" is NDims to MetaIO, which compares names as C strings.
  std::ofstream(folder / "nul.mha") << "ObjectType = Image\nNDims" << '\0' << "=88888888888888 2\nDimSize = 4 4\n"
                                       "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n" << std::string(16, 'x');
  require_refused(folder / "nul.mha", "header line 2, holds a byte that is not text");
  std::ofstream(folder / "colon.mha") << "ObjectType = Image\nNDims : 99999999999\nDimSize = 4 4\n"
                                         "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n" << std::string(16, 'x');
  require_refused(folder / "colon.mha", "NDims '99999999999'");
}

BOOST_AUTO_TEST_CASE(only_headers_in_the_metaimage_grammar_reach_metaio) {
  testing::TemporaryFolder folder;
  const auto refused_with = [&](const std::string& header, const std::string& words) {
    std::ofstream(folder / "h.mha", std::ios::binary) << header << std::string(16, 'x');
    require_refused(folder / "h.mha", words);
  };
  const std::string start = "ObjectType = Image\nNDims = 2\n";
  // Found by fuzzing: MetaIO ended the data file's name at a 0xff byte, and read past a buffer.
  refused_with(start + "DimSize = 1 2\nElementType = MET_SHORT\nElementDataFile = LO\x12\xffGILE%d 0 1 1\n",
               "header line 5, holds a byte that is not text");
  refused_with(start + "DimSize = 4 4 4\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n",
               "DimSize '4 4 4', which is not 2 values (NDims 2)");
  refused_with("DimSize = 4 4\nNDims = 2\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n", "header line 1, gives DimSize before NDims");
  refused_with(start + "DimSize = 4 0\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n", "which is not sizes of at least 1");
  refused_with(start + "DimSize = 4 4\nElementType = MET_PIXEL\nElementDataFile = LOCAL\n", "ElementType 'MET_PIXEL'");
  refused_with(start + "DimSize = 4 4\nElementSpacing = 1 nan\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n",
               "which is not finite numbers");
  refused_with(start + "DimSize = 4 4\nDimSize = 4 4\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n",
               "header line 4, sets DimSize a second time");
  refused_with(start + "DimSize = 4 4\nBinaryData = maybe\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n",
               "BinaryData 'maybe', which is not True or False");
  refused_with(start + "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n", "before DimSize was given");
  std::ofstream(folder / "end.mha") << start << "DimSize = 4 4\nElementType = MET_UCHAR\n";
  require_refused(folder / "end.mha", "is the end of the file, and no ElementDataFile came");
  refused_with(start + "a line without a separator\n", "header line 3, is not 'Name = Value'");
  refused_with(start + "Comment = " + std::string(300, 'c') + "\n", "has a Comment of 300 characters");
  refused_with(std::string(100000, 'x'), "has a header line longer than 4096 characters");  // not read whole into memory
  // What ITK and other tools write, with fields of their own and UTF-8 text, reads.
  std::ofstream(folder / "ok.mha", std::ios::binary)
      << "ObjectType = Image\r\nNDims = 2\nBinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = False\n"
         "TransformMatrix = 1 0 0 1\nOffset = -1.5 2e-3\nCenterOfRotation = 0 0\nAnatomicalOrientation = RA\n"
         "Comment = Größe: 4\nITK_InputFilterName = MetaImageIO\nElementSpacing = 0.5 0.5\nDimSize = 4 4\n"
         "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n" << std::string(16, 'x');
  BOOST_TEST(read_image(folder / "ok.mha").shape().to_string() == "4×4");
}

BOOST_AUTO_TEST_CASE(a_dimension_count_beyond_metaio_is_refused_before_it_reads) {
  // Found by fuzzing: MetaIO loops over NDims values, and NDims = 8.9·10³⁵ hung it.
  testing::TemporaryFolder folder;
  std::ofstream(folder / "dims.mha") << "ObjectType = Image\nNDims = 888888888888888888888888888888888888 3\nDimSize = 1 2 2\n"
                                        "ElementType = MET_UCHAR\nElementDataFile = LOCAL\nabcd";
  require_refused(folder / "dims.mha", "NDims '888888888888888888888888888888888888 3', which is not a dimension count from 1 to 10");
}

BOOST_AUTO_TEST_CASE(values_that_do_not_fit_are_refused_and_nothing_is_written) {
  testing::TemporaryFolder folder;
  const Image ct = integer_ramp({.shape = Shape::image(16, 16)}, -1024, 2000);
  BOOST_CHECK_THROW(write_image(ct, folder / "ct.png"), ParameterError);
  BOOST_CHECK_THROW(write_image(ct, folder / "ct.png", {.stored_type = StoredType::uint8}),
                    ParameterError);
  Image huge = ct.clone();
  huge.at(0, 0) = 40000.0f;
  BOOST_CHECK_THROW(write_image(huge, folder / "series"), ParameterError);
  Image with_nan = ct.clone();
  with_nan.at(1, 1) = NAN;
  BOOST_CHECK_THROW(write_image(with_nan, folder / "nan.mha"), ParameterError);
  BOOST_CHECK_THROW(write_image(Image(Shape::volume(8, 8, 2)), folder / "v.png"), ParameterError);
  BOOST_TEST(fs::is_empty(folder.path()));
}

BOOST_AUTO_TEST_CASE(a_failed_write_keeps_the_old_file) {
  testing::TemporaryFolder folder;
  const Image good = integer_ramp({.shape = Shape::image(16, 16)}, 0, 256);
  write_image(good, folder / "result.png");
  Image bad = good.clone();
  bad.at(0, 0) = -5000.0f;
  BOOST_CHECK_THROW(write_image(bad, folder / "result.png"), ParameterError);
  BOOST_TEST((read_image(folder / "result.png").array() == good.array()).all());
}

BOOST_AUTO_TEST_CASE(real_ct_converts_to_dicom_and_back,
                     *boost::unit_test::precondition(
                         testing::SharedDataPresent{"ct/train/totalseg_abdomen_3mm.nii.gz"})) {
  testing::TemporaryFolder folder;
  const Image ct = read_image(testing::shared_data() / "ct/train/totalseg_abdomen_3mm.nii.gz");
  // Size, spacing and HU range as listed in shared/data/README.md.
  BOOST_TEST(ct.shape().to_string() == "122×101×112");
  BOOST_TEST(ct.geometry().spacing[2] == 3.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(ct.array().minCoeff() == -1207.0f);
  BOOST_TEST(ct.array().maxCoeff() == 3382.0f);
  write_image(ct, folder / "dicom");
  const Image back = read_image(folder / "dicom");
  check_same(ct, back);
}

BOOST_AUTO_TEST_SUITE_END()
