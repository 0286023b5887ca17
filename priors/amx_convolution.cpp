// Direct 3×3 convolution on AMX tiles. A tile holds 16 rows of 64 bytes; TDPBF16PS adds to a
// 16×16 float tile C the product of a 16×32 bfloat16 tile A and a 32×16 bfloat16 tile B stored as
// 16 rows of pairs (B's rows 2r and 2r + 1 interleaved). Every kernel below keeps four C tiles, two
// A tiles and two B tiles: a 2×2 block of 16×16 results per pass.
//
// Forward: 16 consecutive outputs (a segment), for 16 output channels, are Σ_taps Σ_32-channel
// blocks A B with A = the 16 input pixels under that tap (rows of the zero-padded bfloat16 input,
// NHWC, so a tile is 16 consecutive pixels) and B = the tap's weights. Weight gradient: for each
// tap, ∂W[in][out] = Σ_pixels x_shifted[pixel][in] ∂y[pixel][out], with A = 16 input channels × 32
// consecutive shifted pixels (from a channel-major copy of the input) and B = 32 pixels × 16 output
// channels (∂y with consecutive pixels interleaved).
//
// Only the kernels (AMX) and the conversions (AVX-512 BF16) carry target attributes; everything
// else is compiled for the build's ISA, so the file links into builds that run on CPUs without AMX.
#include "priors/amx_convolution.h"

#include "core/error.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cpuid.h>

namespace tweedie {
namespace {

constexpr std::int64_t kTileRows = 16;   // pixels (A, C) or pairs (B) per tile
constexpr std::int64_t kTileDepth = 32;  // bfloat16 values per A row: the channel block of one product
constexpr std::int64_t kTileElements = kTileRows * kTileDepth;
constexpr std::int64_t kTileRowBytes = kTileDepth * sizeof(std::uint16_t);  // 64, a tile row's size
constexpr std::int64_t kSumTile = kTileRows * kTileRows;                      // floats of one C tile
constexpr std::int64_t kTaps = 9;
// Zeros after each padded image (or image plane): the last segments' reads run past its border.
constexpr std::int64_t kSlack = 64;
// The weight gradient sums over this many fixed ranges of images, in order.
constexpr std::int64_t kGradientChunks = 16;

std::uint16_t to_bfloat16(float value) {  // round to nearest, ties to even
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
  return static_cast<std::uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

// The conversions run only where AMX does, so AVX-512 with its bfloat16 conversions is there too.
// Rounding is to nearest even (subnormal inputs become zero).

// target[i] = bfloat16(source[i]) for i < count, a multiple of 32.
__attribute__((target("avx512f,avx512bf16"))) void round_to_bfloat16(const float* source, std::uint16_t* target,
                                                                      std::int64_t count) {
  for (std::int64_t i = 0; i < count; i += 32) {
    const __m512bh pair = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(source + i + 16), _mm512_loadu_ps(source + i));
    _mm512_storeu_si512(target + i, reinterpret_cast<const __m512i&>(pair));
  }
}

// target[x] = bfloat16(source[x · stride]) for x < count.
__attribute__((target("avx512f,avx512bf16,avx512vl"))) void gather_to_bfloat16(const float* source,
                                                                                std::int64_t stride,
                                                                                std::uint16_t* target,
                                                                                std::int64_t count) {
  const __m512i index = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                           _mm512_set1_epi32(static_cast<int>(stride)));
  std::int64_t x = 0;
  for (; x + 16 <= count; x += 16) {
    const __m256bh values = _mm512_cvtneps_pbh(_mm512_i32gather_ps(index, source + x * stride, 4));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(target + x), reinterpret_cast<const __m256i&>(values));
  }
  for (; x < count; ++x) target[x] = to_bfloat16(source[x * stride]);
}

// target[2i + p] = bfloat16((p == 0 ? first : second)[i]) for i < count, a multiple of 16.
__attribute__((target("avx512f,avx512bf16,avx512vl"))) void interleave_to_bfloat16(const float* first,
                                                                                    const float* second,
                                                                                    std::uint16_t* target,
                                                                                    std::int64_t count) {
  for (std::int64_t i = 0; i < count; i += 16) {
    const __m256bh low = _mm512_cvtneps_pbh(_mm512_loadu_ps(first + i));
    const __m256bh high = _mm512_cvtneps_pbh(_mm512_loadu_ps(second + i));
    const __m512i pairs = _mm512_or_si512(_mm512_cvtepu16_epi32(reinterpret_cast<const __m256i&>(low)),
                                          _mm512_slli_epi32(_mm512_cvtepu16_epi32(reinterpret_cast<const __m256i&>(high)), 16));
    _mm512_storeu_si512(target + 2 * i, pairs);
  }
}

// An image of height × width with a border of one zero pixel is numbered flat, q = y·row + x with
// row = width + 2: the output at (y, x) reads the 3×3 pixels from q onwards (tap (dy, dx) at
// q + dy·row + dx). Outputs are computed in segments of 16 consecutive q: along each row when the
// width is a multiple of 32, and otherwise straight through the rows, border columns included
// (their outputs are dropped): 2 of every width + 2 outputs wasted, where padding every row to a
// multiple of 32 would waste up to 31.
struct SegmentLayout {
  std::int64_t height, width, row, plane, span;  // span: the flat positions the segments cover

  SegmentLayout(std::int64_t image_height, std::int64_t image_width)
      : height(image_height), width(image_width), row(image_width + 2), plane((image_height + 2) * row + kSlack),
        span((image_height * row + 2 * kTileRows - 1) / (2 * kTileRows) * (2 * kTileRows)) {}

  bool along_rows() const { return width % (2 * kTileRows) == 0; }
  /// Where the segments of `length` (16 or 32) start, in order; an even number of 16s per image.
  std::vector<std::int64_t> starts(std::int64_t length) const {
    std::vector<std::int64_t> result;
    if (along_rows()) {
      for (std::int64_t y = 0; y < height; ++y) {
        for (std::int64_t x = 0; x < width; x += length) result.push_back(y * row + x);
      }
    } else {
      for (std::int64_t q = 0; q < span; q += length) result.push_back(q);
    }
    return result;
  }
};

struct alignas(64) TileConfig {
  std::uint8_t palette = 1, start_row = 0;
  std::uint8_t reserved[14] = {};
  std::uint16_t bytes_per_row[16] = {};
  std::uint8_t rows[16] = {};
};

// All eight tiles 16 rows × 64 bytes. The configuration belongs to the thread: every task sets it.
__attribute__((target("amx-tile"))) void configure_tiles() {
  TileConfig config;
  for (int t = 0; t < 8; ++t) {
    config.bytes_per_row[t] = kTileRowBytes;
    config.rows[t] = kTileRows;
  }
  _tile_loadconfig(&config);
}

// sums[0..3] = A0 B0, A0 B1, A1 B0, A1 B1 summed over `steps` (A, B) pairs, where step i reads
// A0 = a0 + a_offsets[i], A1 = a1 + a_offsets[i], B0 = b0 + b_offsets[i], B1 = b1 + b_offsets[i].
__attribute__((target("amx-tile,amx-bf16"))) void multiply_tile_pairs(
    const std::uint16_t* a0, const std::uint16_t* a1, std::int64_t a_stride_bytes, const std::int64_t* a_offsets,
    const std::uint16_t* b0, const std::uint16_t* b1, std::int64_t b_stride_bytes, const std::int64_t* b_offsets,
    std::int64_t steps, float* sums) {
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  for (std::int64_t i = 0; i < steps; ++i) {
    _tile_loadd(4, a0 + a_offsets[i], a_stride_bytes);
    _tile_loadd(6, b0 + b_offsets[i], b_stride_bytes);
    _tile_dpbf16ps(0, 4, 6);
    _tile_loadd(7, b1 + b_offsets[i], b_stride_bytes);
    _tile_dpbf16ps(1, 4, 7);
    _tile_loadd(5, a1 + a_offsets[i], a_stride_bytes);
    _tile_dpbf16ps(2, 5, 6);
    _tile_dpbf16ps(3, 5, 7);
  }
  constexpr std::int64_t stride = kTileRows * sizeof(float);
  _tile_stored(0, sums, stride);
  _tile_stored(1, sums + kSumTile, stride);
  _tile_stored(2, sums + 2 * kSumTile, stride);
  _tile_stored(3, sums + 3 * kSumTile, stride);
}

void require_supported(const ConvLayerShape& layer, const Tensor& input) {
  if (!amx_supports(layer)) {
    throw ParameterError("AMX convolution needs a 3×3 kernel and channel counts that are multiples of 32, got " +
                         std::to_string(layer.kernel) + "×" + std::to_string(layer.kernel) + ", " +
                         std::to_string(layer.in_channels) + " → " + std::to_string(layer.out_channels));
  }
  if (input.shape().channels != layer.in_channels) {
    throw ShapeError("AMX convolution: the input has " + std::to_string(input.shape().channels) +
                     " channels, the layer takes " + std::to_string(layer.in_channels));
  }
  if (!amx_bf16_available()) throw Error("AMX convolution: this CPU or operating system does not offer AMX-BF16");
}

// The input in bfloat16 with a border of zeros (SegmentLayout's numbering), either pixel-major
// (image n's pixel q at (n·plane + q)·channels: forward) or channel-major (at (n·channels + c)·plane
// + q: weight gradient).
const std::uint16_t* pad_to_bfloat16(const Tensor& input, const SegmentLayout& layout, bool channel_major,
                                     Bfloat16Buffer& buffer) {
  const TensorShape& s = input.shape();
  const std::int64_t channels = s.channels;
  buffer.prepare(s, static_cast<std::size_t>(s.batch * layout.plane * channels));
  std::uint16_t* target = buffer.values.data();
  tbb::parallel_for(std::int64_t{0}, s.batch * s.height, [&](std::int64_t image_row) {
    const std::int64_t n = image_row / s.height, y = image_row % s.height, q = (y + 1) * layout.row + 1;
    const float* source = input.pixel(n, y, 0);
    if (channel_major) {
      for (std::int64_t c = 0; c < channels; ++c) {
        gather_to_bfloat16(source + c, channels, target + (n * channels + c) * layout.plane + q, s.width);
      }
    } else {
      round_to_bfloat16(source, target + (n * layout.plane + q) * channels, s.width * channels);
    }
  });
  return target;
}

}  // namespace

void Bfloat16Buffer::prepare(const TensorShape& for_shape, std::size_t size) {
  if (for_shape == shape && values.size() == size) return;
  shape = for_shape;
  values.assign(size, 0);
}

bool amx_bf16_available() {
  static const bool available = [] {
    if (!TWEEDIE_AMX) return false;  // built with -DTWEEDIE_AMX=OFF
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
    const bool amx_bf16 = (edx >> 22) & 1u, amx_tile = (edx >> 24) & 1u, avx512bw = (ebx >> 30) & 1u;
    if (!amx_bf16 || !amx_tile || !avx512bw) return false;
    if (__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) == 0 || ((eax >> 5) & 1u) == 0) return false;  // AVX512-BF16
    // Linux hands out the 8 KiB of tile state only to processes that ask (ARCH_REQ_XCOMP_PERM for
    // XFEATURE_XTILEDATA); the permission covers every thread of the process.
    constexpr long kRequestPermission = 0x1023, kTileData = 18;
    return syscall(SYS_arch_prctl, kRequestPermission, kTileData) == 0;
  }();
  return available;
}

bool amx_supports(const ConvLayerShape& layer) {
  return layer.kernel == 3 && layer.in_channels % kTileDepth == 0 && layer.out_channels % kTileDepth == 0;
}

AmxKernels amx_kernels(const ConvLayerShape& layer, const float* weights) {
  if (!amx_supports(layer)) throw ParameterError("amx_kernels: the layer cannot run on AMX tiles");
  const std::int64_t in = layer.in_channels, out = layer.out_channels;
  const std::int64_t in_blocks = in / kTileDepth, out_blocks = out / kTileRows;
  AmxKernels kernels{in, out, std::vector<std::uint16_t>(static_cast<std::size_t>(kTaps * in * out))};
  // Tile (tap, in_block, out_block), row r, column j, pair p = W[tap][in_block·32 + 2r + p][out_block·16 + j].
  for (std::int64_t tap = 0; tap < kTaps; ++tap) {
    for (std::int64_t ib = 0; ib < in_blocks; ++ib) {
      for (std::int64_t ob = 0; ob < out_blocks; ++ob) {
        std::uint16_t* tile = kernels.values.data() + ((tap * in_blocks + ib) * out_blocks + ob) * kTileElements;
        for (std::int64_t r = 0; r < kTileRows; ++r) {
          for (std::int64_t j = 0; j < kTileRows; ++j) {
            for (std::int64_t p = 0; p < 2; ++p) {
              const std::int64_t i = ib * kTileDepth + 2 * r + p, o = ob * kTileRows + j;
              tile[(r * kTileRows + j) * 2 + p] = to_bfloat16(weights[(tap * in + i) * out + o]);
            }
          }
        }
      }
    }
  }
  return kernels;
}

void convolve_amx(const Tensor& input, const ConvLayerShape& layer, const AmxKernels& kernels, const float* bias,
                  Tensor& output, AmxWorkspace& workspace) {
  require_supported(layer, input);
  if (kernels.in_channels != layer.in_channels || kernels.out_channels != layer.out_channels) {
    throw ShapeError("AMX convolution: the kernels were made for another layer");
  }
  const TensorShape& s = input.shape();
  const std::int64_t in = layer.in_channels, out = layer.out_channels;
  const std::int64_t in_blocks = in / kTileDepth, out_blocks = out / kTileRows;
  output.resize_for_overwrite({s.batch, s.height, s.width, out});
  const SegmentLayout layout(s.height, s.width);
  const std::uint16_t* padded = pad_to_bfloat16(input, layout, false, workspace.pixel_major);
  const std::vector<std::int64_t> starts = layout.starts(kTileRows);
  const auto per_image = static_cast<std::int64_t>(starts.size());
  const std::int64_t pairs = s.batch * per_image / 2;
  // Step (tap, in_block): where A starts relative to the segment's first pixel, and where its B
  // tile starts relative to the first output block's tile.
  std::vector<std::int64_t> a_offsets, b_offsets;
  for (std::int64_t tap = 0; tap < kTaps; ++tap) {
    for (std::int64_t ib = 0; ib < in_blocks; ++ib) {
      a_offsets.push_back(((tap / 3) * layout.row + tap % 3) * in + ib * kTileDepth);
      b_offsets.push_back((tap * in_blocks + ib) * out_blocks * kTileElements);
    }
  }
  const auto steps = static_cast<std::int64_t>(a_offsets.size());
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, pairs, 8), [&](const tbb::blocked_range<std::int64_t>& range) {
    configure_tiles();
    alignas(64) float sums[4 * kSumTile];
    // Output blocks outside: one block's weights (9 taps × the input blocks × 2 tiles of 1 KiB)
    // are reused across the range's pairs.
    for (std::int64_t ob = 0; ob < out_blocks; ob += 2) {
      const std::uint16_t* b = kernels.values.data() + ob * kTileElements;
      for (std::int64_t pair = range.begin(); pair < range.end(); ++pair) {
        std::int64_t n[2], q[2];
        const std::uint16_t* a[2];
        for (int k = 0; k < 2; ++k) {
          const std::int64_t segment = 2 * pair + k;
          n[k] = segment / per_image;
          q[k] = starts[static_cast<std::size_t>(segment % per_image)];
          a[k] = padded + (n[k] * layout.plane + q[k]) * in;
        }
        multiply_tile_pairs(a[0], a[1], in * 2, a_offsets.data(), b, b + kTileElements, kTileRowBytes, b_offsets.data(), steps,
                            sums);
        // sums[2k + h]: segment k's 16 outputs × output channels (ob + h)·16 + column.
        for (int k = 0; k < 2; ++k) {
          for (std::int64_t i = 0; i < kTileRows; ++i) {
            const std::int64_t y = (q[k] + i) / layout.row, x = (q[k] + i) % layout.row;
            if (y >= s.height || x >= s.width) continue;
            float* target = output.pixel(n[k], y, x) + ob * kTileRows;
            for (std::int64_t h = 0; h < 2; ++h) {
              const float* source = sums + (2 * k + h) * kSumTile + i * kTileRows;
              for (std::int64_t j = 0; j < kTileRows; ++j) {
                const std::int64_t o = (ob + h) * kTileRows + j;
                const float value = source[j] + (bias ? bias[o] : 0.0f);
                target[h * kTileRows + j] = layer.relu ? std::max(value, 0.0f) : value;
              }
            }
          }
        }
      }
    }
  });
}

void convolution_weight_gradient_amx(const Tensor& input, const Tensor& grad_output, const ConvLayerShape& layer,
                                     float* grad_weights, float* grad_bias, AmxWorkspace& workspace) {
  require_supported(layer, input);
  const TensorShape& s = input.shape();
  if (grad_output.shape() != TensorShape{s.batch, s.height, s.width, layer.out_channels}) {
    throw ShapeError("AMX weight gradient: the output gradient does not match the layer's output");
  }
  const std::int64_t in = layer.in_channels, out = layer.out_channels;
  const SegmentLayout layout(s.height, s.width);
  const std::uint16_t* padded = pad_to_bfloat16(input, layout, true, workspace.channel_major);
  // ∂y in bfloat16 by flat position q with consecutive positions interleaved, [n][q / 2][out][q % 2],
  // zero where q is not an output. The two border columns between rows keep every pair within a row.
  workspace.interleaved.prepare(grad_output.shape(), static_cast<std::size_t>(s.batch * layout.span * out));
  std::uint16_t* interleaved = workspace.interleaved.values.data();
  // In the same pass, each row's sum of ∂y (for the bias gradient, summed in float32).
  const std::vector<float> zeros(static_cast<std::size_t>(out), 0.0f);
  std::vector<float> row_sums(static_cast<std::size_t>(s.batch * s.height * out), 0.0f);
  tbb::parallel_for(std::int64_t{0}, s.batch * s.height, [&](std::int64_t image_row) {
    const std::int64_t n = image_row / s.height, first = (image_row % s.height) * layout.row, end = first + s.width;
    const float* row_source = grad_output.pixel(n, image_row % s.height, 0);
    const auto at = [&](std::int64_t q) { return q >= first && q < end ? row_source + (q - first) * out : zeros.data(); };
    std::uint16_t* target = interleaved + n * layout.span * out;
    for (std::int64_t q = first & ~std::int64_t{1}; q < end; q += 2) interleave_to_bfloat16(at(q), at(q + 1), target + q * out, out);
    float* row_sum = row_sums.data() + image_row * out;
    for (std::int64_t x = 0; x < s.width; ++x) {
      for (std::int64_t o = 0; o < out; ++o) row_sum[o] += row_source[x * out + o];
    }
  });
  // Steps of one (tap, in_block, out_block) sum: the image's segments of 32 positions.
  std::vector<std::int64_t> a_offsets = layout.starts(2 * kTileRows), b_offsets;
  for (const std::int64_t q : a_offsets) b_offsets.push_back(q * out);
  const auto steps = static_cast<std::int64_t>(a_offsets.size());
  const std::int64_t weight_count = kTaps * in * out, chunks = std::min(kGradientChunks, s.batch);
  std::vector<std::vector<float>> partial(static_cast<std::size_t>(chunks));
  tbb::parallel_for(std::int64_t{0}, chunks, [&](std::int64_t chunk) {
    configure_tiles();
    std::vector<float>& sum = partial[static_cast<std::size_t>(chunk)];
    sum.assign(static_cast<std::size_t>(weight_count + out), 0.0f);
    alignas(64) float sums[4 * kSumTile];
    for (std::int64_t n = chunk * s.batch / chunks; n < (chunk + 1) * s.batch / chunks; ++n) {
      const std::uint16_t* b_image = interleaved + n * layout.span * out;
      for (std::int64_t tap = 0; tap < kTaps; ++tap) {
        for (std::int64_t i0 = 0; i0 < in; i0 += kTileDepth) {
          const std::uint16_t* a = padded + (n * in + i0) * layout.plane + (tap / 3) * layout.row + tap % 3;
          for (std::int64_t o0 = 0; o0 < out; o0 += kTileDepth) {
            const std::uint16_t* b = b_image + o0 * 2;
            multiply_tile_pairs(a, a + kTileRows * layout.plane, layout.plane * 2, a_offsets.data(), b,
                                b + kTileRows * 2, out * 4, b_offsets.data(), steps, sums);
            // sums[2u + v]: input channels i0 + 16u + row, output channels o0 + 16v + column.
            for (std::int64_t u = 0; u < 2; ++u) {
              for (std::int64_t r = 0; r < kTileRows; ++r) {
                float* target = sum.data() + (tap * in + i0 + u * kTileRows + r) * out + o0;
                for (std::int64_t v = 0; v < 2; ++v) {
                  const float* source = sums + (2 * u + v) * kSumTile + r * kTileRows;
                  for (std::int64_t j = 0; j < kTileRows; ++j) target[v * kTileRows + j] += source[j];
                }
              }
            }
          }
        }
      }
      for (std::int64_t y = 0; y < s.height; ++y) {
        const float* row_sum = row_sums.data() + (n * s.height + y) * out;
        for (std::int64_t o = 0; o < out; ++o) sum[static_cast<std::size_t>(weight_count + o)] += row_sum[o];
      }
    }
  });
  for (const std::vector<float>& p : partial) {
    for (std::int64_t i = 0; i < weight_count; ++i) grad_weights[i] += p[static_cast<std::size_t>(i)];
    for (std::int64_t o = 0; o < out; ++o) grad_bias[o] += p[static_cast<std::size_t>(weight_count + o)];
  }
}

}  // namespace tweedie
