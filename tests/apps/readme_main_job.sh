#!/usr/bin/env bash
# README command 1's main job, run as the README shows it, and its printed quality held to the
# figures the README promises: each PSNR within 0.2 dB, each SSIM within 0.005.
#   readme_main_job.sh SOURCE_DIR BUILD_DIR OUTPUT_DIR
source_dir=$1 build=$2 out=$3
tweedie=$build/apps/tweedie
source "$(dirname "$0")/cli_lib.sh"

bash "$source_dir/scripts/main-job.sh" "$build" "$out" >"$work/job.txt" || fail "the main job failed: $(cat "$work/job.txt")"
cat "$work/job.txt"
# "… (FBP 28.05 dB / 0.561, Tweedie 38.54 dB / 0.931)" in the README (across a line break).
promised=$(tr '\n' ' ' <"$source_dir/README.md" | tr -s ' ' |
  sed -n 's/.*printed (FBP \([0-9.]*\) dB \/ \([0-9.]*\), Tweedie \([0-9.]*\) dB \/ \([0-9.]*\)).*/\1 \2 \3 \4/p')
[[ -n $promised ]] || fail "no promised figures found in README.md"
read -r fbp_psnr fbp_ssim tweedie_psnr tweedie_ssim <<<"$promised"
printed() { sed -n "s/^$1 *PSNR \([0-9.]*\) dB, SSIM \([0-9.]*\);.*/\1 \2/p" "$work/job.txt"; }
read -r got_fbp_psnr got_fbp_ssim <<<"$(printed fbp)"
read -r got_psnr got_ssim <<<"$(printed tweedie)"
[[ -n ${got_psnr:-} && -n ${got_fbp_psnr:-} ]] || fail "the main job printed no quality figures"
expect_close "$got_fbp_psnr" "$fbp_psnr" 0.2
expect_close "$got_fbp_ssim" "$fbp_ssim" 0.005
expect_close "$got_psnr" "$tweedie_psnr" 0.2
expect_close "$got_ssim" "$tweedie_ssim" 0.005
[[ -s $out/tweedie.nii.gz && -s $out/fbp.nii.gz && -s $out/preview.png ]] || fail "the main job's files are missing"
echo "readme_main_job: ok (FBP $got_fbp_psnr dB, Tweedie $got_psnr dB; README: $fbp_psnr, $tweedie_psnr)"
