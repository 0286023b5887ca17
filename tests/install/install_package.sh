#!/usr/bin/env bash
# The installed package as an outside project sees it: `cmake --install` into a fresh prefix, the
# example in examples/reconstruct_ct built against it with find_package(Tweedie) alone and run, the
# prefix moved elsewhere (the program still finds its bundled models), TWEEDIE_MODELS_DIR honoured,
# and `cpack -G DEB` packing the same files.
#   install_package.sh SOURCE_DIR BUILD_DIR
source_dir=$1 build=$2
tweedie=$build/apps/tweedie
source "$source_dir/tests/apps/cli_lib.sh"

cmake --install "$build" --prefix "$work/prefix" >/dev/null || fail "cmake --install failed"
for f in bin/tweedie share/tweedie/models/ct.tdm share/tweedie/models/natural-gray.tdm \
         include/tweedie/pipelines/ct_reconstruction.h lib/cmake/Tweedie/TweedieConfig.cmake \
         lib/cmake/Tweedie/TweedieConfigVersion.cmake; do
  [[ -e $work/prefix/$f ]] || fail "the install lacks $f"
done

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$source_dir/examples/reconstruct_ct" -B "$work/example" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.txt" 2>&1 || fail "the example did not configure: $(cat "$work/configure.txt")"
cmake --build "$work/example" >"$work/build.txt" 2>&1 || fail "the example did not build: $(tail -20 "$work/build.txt")"
"$work/example/reconstruct_ct" >"$work/example.txt" || fail "the example failed: $(cat "$work/example.txt")"
sed -n 's/.*PSNR \([0-9.]*\) dB (fbp) → \([0-9.]*\) dB.*/\1 \2/p' "$work/example.txt" | head -1 |
  awk '{ exit !($2 > $1 + 3) }' || fail "the example did not beat FBP by 3 dB: $(cat "$work/example.txt")"

# The ITK example: reader → projection → low dose → FBP and reconstruction → writers, against the
# install, on a slice of the bundled sample; the same pixels as `tweedie fbp` and `tweedie recon`.
cmake -S "$source_dir/examples/itk_pipeline" -B "$work/itk_example" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.txt" 2>&1 || fail "the ITK example did not configure: $(cat "$work/configure.txt")"
cmake --build "$work/itk_example" >"$work/build.txt" 2>&1 || fail "the ITK example did not build: $(tail -20 "$work/build.txt")"
"$tweedie" convert --input "$source_dir/data/ct/abdomen_siemens_4sl.nii.gz" --first-slice 1 --slice-count 1 \
  --output "$work/two.mha" >/dev/null
"$tweedie" geometry --parallel --views 360 --image-size 512 --pixel-spacing 0.9765625 --output "$work/g.json" >/dev/null
"$work/itk_example/itk_pipeline" "$work/two.mha" "$work/g.json" "$work/itk.mha" "$work/itk_fbp.mha" >"$work/itk.txt" ||
  fail "the ITK example failed: $(cat "$work/itk.txt")"
"$tweedie" simulate --input "$work/two.mha" --geometry "$work/g.json" --dose 1e4 --seed 1 --output "$work/s.mha" \
  --weights "$work/w.mha" >/dev/null
"$tweedie" recon --sinogram "$work/s.mha" --weights "$work/w.mha" --geometry "$work/g.json" --output "$work/cli.mha" \
  >/dev/null 2>&1
"$tweedie" fbp --sinogram "$work/s.mha" --geometry "$work/g.json" --filter hann --output "$work/cli_fbp.mha" >/dev/null
for pair in "cli.mha itk.mha" "cli_fbp.mha itk_fbp.mha"; do
  read -r cli itk <<<"$pair"
  "$tweedie" metrics --reference "$work/$cli" --input "$work/$itk" >"$work/same.json"
  awk -v mse="$(json_number "$work/same.json" mse)" 'BEGIN { exit !(mse == 0) }' ||
    fail "the ITK pipeline's $itk and the command line's $cli differ: $(cat "$work/same.json")"
done

# A moved prefix: its program finds the models beside it (a model only the moved prefix has).
mv "$work/prefix" "$work/moved"
cp "$work/moved/share/tweedie/models/ct.tdm" "$work/moved/share/tweedie/models/only-here.tdm"
printf 'ObjectType = Image\nNDims = 2\nDimSize = 32 32\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n' >"$work/flat.mha"
head -c 4096 /dev/zero >>"$work/flat.mha"
"$work/moved/bin/tweedie" denoise --input "$work/flat.mha" --prior only-here --sigma 20 --output "$work/d.mha" >/dev/null ||
  fail "the moved program did not find the model beside it"
mkdir -p "$work/elsewhere" && mv "$work/moved/share/tweedie/models/only-here.tdm" "$work/elsewhere/"
expect_one_line_error "no model file 'only-here'" \
  "$work/moved/bin/tweedie" denoise --input "$work/flat.mha" --prior only-here --sigma 20 --output "$work/d.mha"
TWEEDIE_MODELS_DIR=$work/elsewhere "$work/moved/bin/tweedie" denoise --input "$work/flat.mha" --prior only-here \
  --sigma 20 --output "$work/d.mha" >/dev/null || fail "TWEEDIE_MODELS_DIR was not searched"

# The Debian package holds the same install under /usr.
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/package" >/dev/null 2>&1) || fail "cpack -G DEB failed"
deb=$(ls "$work"/package/*.deb 2>/dev/null | head -1)
[[ -n $deb ]] || fail "no .deb made"
dpkg-deb -c "$deb" >"$work/contents.txt"
for f in ./usr/bin/tweedie ./usr/share/tweedie/models/ct.tdm ./usr/lib/cmake/Tweedie/TweedieConfig.cmake; do
  grep -qF " $f" "$work/contents.txt" || fail "the package lacks $f"
done
echo "install_package: ok ($(basename "$deb"))"
