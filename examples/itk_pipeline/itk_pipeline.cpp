// reader → Tweedie's low-dose simulation and reconstruction → writer: an ITK pipeline that
// reconstructs a CT volume (in HU) from a simulated low-dose scan of itself.
//
//   itk_pipeline INPUT_VOLUME GEOMETRY.json OUTPUT_VOLUME [I0 (default 1e4)]
#include <itk/ForwardProjectionImageFilter.h>
#include <itk/LowDoseSimulationImageFilter.h>
#include <itk/ReconstructionImageFilter.h>

#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: itk_pipeline INPUT_VOLUME GEOMETRY.json OUTPUT_VOLUME [I0]\n";
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
    scan->SetIncidentPhotons(argc > 4 ? std::stod(argv[4]) : 1e4);
    scan->SetSeed(1);
    auto recon = tweedie::ReconstructionImageFilter<Volume>::New();  // PnP-HQS with the bundled ct model
    recon->SetInput(scan->GetOutput());
    recon->SetWeights(scan->GetWeightsOutput());
    recon->SetGeometry(project->GetGeometry());
    auto writer = itk::ImageFileWriter<Volume>::New();
    writer->SetInput(recon->GetOutput());
    writer->SetFileName(argv[3]);
    writer->Update();
    std::cout << recon->GetSummary().full_report();
    return 0;
  } catch (const itk::ExceptionObject& error) {
    std::cerr << "itk_pipeline: " << error.GetDescription() << '\n';
    return 1;
  }
}
