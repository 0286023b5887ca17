#include "core/error.h"
#include "core/sha256.h"
#include "support/temporary_folder.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>

using namespace tweedie;
using tweedie::testing::TemporaryFolder;

BOOST_AUTO_TEST_SUITE(sha256)

// The examples of FIPS 180-2, appendix B.
BOOST_AUTO_TEST_CASE(digests_match_the_standard_examples) {
  BOOST_TEST(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  BOOST_TEST(sha256_hex(std::string(1000000, 'a')) ==
             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(a_file_hashes_as_its_bytes_in_any_chunking) {
  const TemporaryFolder folder;
  std::string bytes;
  for (int i = 0; i < 200000; ++i) bytes += static_cast<char>(i * 7919 % 251);
  std::ofstream(folder.path() / "data.bin", std::ios::binary) << bytes;
  BOOST_TEST(file_sha256(folder.path() / "data.bin") == sha256_hex(bytes));
  Sha256 pieces;
  for (std::size_t at = 0; at < bytes.size(); at += 63) pieces.update(std::string_view(bytes).substr(at, 63));
  BOOST_TEST(pieces.hex_digest() == sha256_hex(bytes));
  BOOST_CHECK_THROW(file_sha256(folder.path() / "missing.bin"), IoError);
}

BOOST_AUTO_TEST_SUITE_END()
