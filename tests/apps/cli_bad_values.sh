#!/usr/bin/env bash
# Bad values, table-driven: NaN and infinity in images, sinograms, weights and options; negative and
# zero counts; noise levels ≤ 0; shapes that do not fit. Each is refused with one line naming the
# value, status 1, and leaves no output behind.
tweedie=$1
source "$(dirname "$0")/cli_lib.sh"
mkdir "$work/files"
cd "$work/files"

# raw_image NAME NX NY FILL [INDEX VALUE]: a NAME.mhd float image filled with FILL (4 little-endian
# bytes as printf escapes), voxel INDEX set to VALUE.
raw_image() {
  printf 'ObjectType = Image\nNDims = 2\nDimSize = %d %d\nElementType = MET_FLOAT\nElementByteOrderMSB = False\nElementDataFile = %s.raw\n' \
    "$2" "$3" "$1" >"$1.mhd"
  for ((i = 0; i < $2 * $3; i++)); do printf '%b' "$4"; done >"$1.raw"
  if [[ -n ${5:-} ]]; then printf '%b' "$6" | dd of="$1.raw" bs=4 seek="$5" conv=notrunc status=none; fi
}
nan='\x00\x00\xc0\x7f' inf='\x00\x00\x80\x7f' one='\x00\x00\x80\x3f' minus_one='\x00\x00\x80\xbf' zero='\x00\x00\x00\x00'

"$tweedie" geometry --views 24 --image-size 32 --output geometry.json >/dev/null  # 47 bins × 24 views
raw_image image 32 32 "$zero"
raw_image nan_image 32 32 "$zero" 37 "$nan"
raw_image inf_image 32 32 "$zero" 70 "$inf"
raw_image sinogram 47 24 "$one"
raw_image nan_sinogram 47 24 "$one" 100 "$nan"
raw_image inf_sinogram 47 24 "$one" 5 "$inf"
raw_image nan_weights 47 24 "$one" 7 "$nan"
raw_image negative_weights 47 24 "$one" 8 "$minus_one"
raw_image zero_weights 47 24 "$zero"
raw_image short_weights 47 23 "$one"
raw_image small_image 16 16 "$zero"
echo '{"sigma": 1e4444444}' >overflow.json  # beyond double's range (found by fuzzing: escaped as a JSON exception)
inputs=$(ls)

recon="recon --sinogram sinogram.mhd --geometry geometry.json --output out.mha"
# expected message | command
cases=(
  "the input image 'nan_image.mhd' holds a non-finite value (nan) at voxel (5, 1)|denoise --input nan_image.mhd --prior tv --sigma 10 --output out.mha"
  "the input image 'inf_image.mhd' holds a non-finite value (inf) at voxel (6, 2)|restore --input inf_image.mhd --operator blur --output out.mha"
  "holds a non-finite value (nan) at voxel (5, 1)|simulate --input nan_image.mhd --geometry geometry.json --dose 1e4 --output out.mha"
  "the test image holds a non-finite value (nan)|metrics --reference image.mhd --input nan_image.mhd"
  "the sinogram 'nan_sinogram.mhd' holds a non-finite value (nan) at voxel (6, 2)|recon --sinogram nan_sinogram.mhd --geometry geometry.json --output out.mha"
  "the sinogram 'inf_sinogram.mhd' holds a non-finite value (inf) at voxel (5, 0)|fbp --sinogram inf_sinogram.mhd --geometry geometry.json --output out.mha"
  "the statistical weights holds a non-finite value (nan) at voxel (7, 0)|$recon --weights nan_weights.mhd"
  "the statistical weights hold a negative value (-1) at voxel (8, 0)|$recon --weights negative_weights.mhd"
  "the statistical weights are 0 everywhere|$recon --weights zero_weights.mhd"
  "the statistical weights has shape 47×23, expected 47×24|$recon --weights short_weights.mhd"
  "the reference 'nan_image.mhd' holds a non-finite value (nan)|$recon --reference nan_image.mhd"
  "the image has 16×16 pixels|$recon --reference small_image.mhd"
  "--sigma-last must be a number, got 'nan'|$recon --sigma-last nan"
  "--lambda must be a finite number, got 'inf'|$recon --solver tv-pdhg --lambda inf"
  "--noise-sigma must be positive, got -1|$recon --noise-sigma -1"
  "--noise-sigma must be positive, got 0|$recon --noise-sigma 0"
  "--dose must be positive, got 0|simulate --input image.mhd --geometry geometry.json --dose 0 --output out.mha"
  "--dose must be positive, got -100|simulate --input image.mhd --geometry geometry.json --dose -100 --output out.mha"
  "--dose must be a finite number, got 'inf'|simulate --input image.mhd --geometry geometry.json --dose inf --output out.mha"
  "--electronic-noise must be at least 0, got -1|simulate --input image.mhd --geometry geometry.json --electronic-noise -1 --output out.mha"
  "--sigma must be a positive number or 'sure', got '0'|denoise --input image.mhd --prior tv --sigma 0 --output out.mha"
  "--sigma must be a positive number or 'sure', got '-5'|denoise --input image.mhd --prior tv --sigma -5 --output out.mha"
  "--sigma must be a positive number or 'sure', got 'nan'|denoise --input image.mhd --prior tv --sigma nan --output out.mha"
  "--blur-sigma must be positive, got 0|degrade --input image.mhd --operator blur --blur-sigma 0 --output out.mha"
  "--noise-sigma must be at least 0, got -2|degrade --input image.mhd --operator blur --noise-sigma -2 --output out.mha"
  "--pixel-spacing must be a finite number, got 'inf'|geometry --pixel-spacing inf --output out.json"
  "--views must be at least 1, got -3|geometry --views -3 --output out.json"
  "the configuration file is not valid JSON|denoise --config overflow.json --input image.mhd --prior tv --output out.mha"
)
for row in "${cases[@]}"; do
  message=${row%%|*}
  read -r -a command <<<"${row#*|}"
  status=0
  "$tweedie" "${command[@]}" >../stdout 2>../stderr || status=$?
  ((status == 1)) || fail "'${command[*]}' exited $status, not 1"
  grep -qF -- "$message" ../stderr || fail "'${command[*]}' printed '$(cat ../stderr)', not '$message'"
  (($(wc -l <../stderr) == 1)) || fail "'${command[*]}' printed more than one line: $(cat ../stderr)"
  [[ $(ls) == "$inputs" ]] || fail "'${command[*]}' left $(ls)"
done
echo "cli_bad_values: ${#cases[@]} bad values refused"
