// reader → Tweedie's projection and low-dose simulation → FBP and reconstruction → writers: an ITK
// pipeline that reconstructs a CT volume (in HU) from a simulated low-dose scan of itself, by FBP
// (Hann) and by Tweedie's default, as `tweedie fbp` and `tweedie recon` do.
//
//   itk_pipeline INPUT_VOLUME GEOMETRY.json RECON_OUTPUT FBP_OUTPUT [I0 (default 1e4)]
#include <itk/FilteredBackProjectionImageFilter.h>
#include <itk/ForwardProjectionImageFilter.h>
#include <itk/LowDoseSimulationImageFilter.h>
#include <itk/ReconstructionImageFilter.h>

#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: itk_pipeline INPUT_VOLUME GEOMETRY.json RECON_OUTPUT FBP_OUTPUT [I0]\n";
    return 1;
  }
  using Volume = itk::Image<float, 3>;
  try {
    auto reader = itk::ImageFileReader<Volume>::New();
    reader->SetFileName(argv[1]);
    auto project = tweedie::ForwardProjectionImageFilter<Volume>::New();
    project->SetInput(reader->GetOutput());
    project->SetGeometryFileName(argv[2]);
    auto scan = tweedie::LowDoseSimulationImageFilter<Volume>::New();
    scan->SetInput(project->GetOutput());
    scan->SetIncidentPhotons(argc > 5 ? std::stod(argv[5]) : 1e4);
    scan->SetSeed(1);
    auto recon = tweedie::ReconstructionImageFilter<Volume>::New();  // PnP-HQS with the bundled ct model
    recon->SetInput(scan->GetOutput());
    recon->SetWeights(scan->GetWeightsOutput());
    recon->SetGeometry(project->GetGeometry());
    auto fbp = tweedie::FilteredBackProjectionImageFilter<Volume>::New();
    fbp->SetInput(scan->GetOutput());
    fbp->SetGeometry(project->GetGeometry());
    fbp->SetFilter(tweedie::FbpFilter::hann);
    for (const auto& [image, path] : {std::pair{recon->GetOutput(), argv[3]}, std::pair{fbp->GetOutput(), argv[4]}}) {
      auto writer = itk::ImageFileWriter<Volume>::New();
      writer->SetInput(image);
      writer->SetFileName(path);
      writer->Update();
    }
    std::cout << recon->GetSummary().full_report();
    return 0;
  } catch (const itk::ExceptionObject& error) {
    std::cerr << "itk_pipeline: " << error.GetDescription() << '\n';
    return 1;
  }
}
