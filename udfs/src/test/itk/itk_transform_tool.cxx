// What ITK makes of a transform file, for the tests to compare against:
//   itk_transform_tool points FILE DIM     maps each "x y [z]" line of stdin through the file's transform
//   itk_transform_tool convert IN OUT [float]  reads IN and writes OUT (format by OUT's extension) in
//                                              double or float precision, as ITK's writers do
//   itk_transform_tool resample DIM INPUT REFERENCE OUTPUT Linear|NearestNeighbor|BSpline DEFAULT T1 [T2 ...]
//       resamples INPUT onto REFERENCE's grid with ResampleImageFilter through the chain, built as
//       antsApplyTransforms builds it: the arguments are added to a CompositeTransform last first (its
//       parser returns them so), a composite file's components in its own order, so T1 acts first on
//       an output point; Ti is FILE or [FILE,1] (an affine's inverse), a .nii/.nii.gz being a field
//   itk_transform_tool compose DIM OUT T1 [T2 ...]  writes that chain as one CompositeTransform,
//       compressed as antsRegistration writes Composite.h5
// The transform of a file is its only transform, or its CompositeTransform (ITK applies the queue
// from the last component to the first). MatrixOffsetTransformBase is registered as ANTs does, since
// older tools wrote it and ITK's factory lacks it.
#include <iostream>
#include <sstream>
#include <string>

#include "itkCompositeTransform.h"
#include "itkDisplacementFieldTransform.h"
#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkBSplineInterpolateImageFunction.h"
#include "itkLinearInterpolateImageFunction.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"
#include "itkMatrixOffsetTransformBase.h"
#include "itkTransformFactory.h"
#include "itkTransformFileReader.h"
#include "itkTransformFileWriter.h"

namespace {

template <unsigned int D>
int MapPoints(const std::string & file) {
  auto reader = itk::TransformFileReaderTemplate<double>::New();
  reader->SetFileName(file);
  reader->Update();
  const auto * list = reader->GetTransformList();
  if (list->size() != 1) {
    std::cerr << file << ": " << list->size() << " transforms at the top level" << std::endl;
    return 2;
  }
  using Transform = itk::Transform<double, D, D>;
  const auto * transform = dynamic_cast<const Transform *>(list->front().GetPointer());
  if (transform == nullptr) {
    std::cerr << file << ": not a " << D << "D transform" << std::endl;
    return 2;
  }
  std::string line;
  std::cout.precision(17);
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    typename Transform::InputPointType p;
    for (unsigned int i = 0; i < D; ++i) {
      in >> p[i];
    }
    if (!in) {
      continue;
    }
    const auto q = transform->TransformPoint(p);
    for (unsigned int i = 0; i < D; ++i) {
      std::cout << (i ? " " : "") << q[i];
    }
    std::cout << "\n";
  }
  return 0;
}

template <typename T>
int Convert(const std::string & in, const std::string & out) {
  auto reader = itk::TransformFileReaderTemplate<T>::New();
  reader->SetFileName(in);
  reader->Update();
  auto writer = itk::TransformFileWriterTemplate<T>::New();
  writer->SetFileName(out);
  for (const auto & transform : *reader->GetTransformList()) {
    writer->AddTransform(transform);
  }
  writer->Update();
  return 0;
}

bool EndsWith(const std::string & s, const std::string & tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

template <unsigned int D>
typename itk::Transform<double, D, D>::Pointer ReadStep(std::string argument) {
  bool inverse = false;
  if (!argument.empty() && argument.front() == '[') {
    const auto comma = argument.rfind(',');
    inverse = argument.substr(comma + 1, 1) == "1";
    argument = argument.substr(1, comma - 1);
  }
  if (EndsWith(argument, ".nii") || EndsWith(argument, ".nii.gz")) {
    using Field = itk::Image<itk::Vector<double, D>, D>;
    auto reader = itk::ImageFileReader<Field>::New();
    reader->SetFileName(argument);
    reader->Update();
    auto transform = itk::DisplacementFieldTransform<double, D>::New();
    transform->SetDisplacementField(reader->GetOutput());
    return transform.GetPointer();
  }
  auto reader = itk::TransformFileReaderTemplate<double>::New();
  reader->SetFileName(argument);
  reader->Update();
  auto * transform = dynamic_cast<itk::Transform<double, D, D> *>(reader->GetTransformList()->front().GetPointer());
  if (!inverse) {
    return transform;
  }
  return dynamic_cast<itk::Transform<double, D, D> *>(transform->GetInverseTransform().GetPointer());
}

template <unsigned int D>
typename itk::CompositeTransform<double, D>::Pointer ReadChain(int first, int argc, char * argv[]) {
  auto chain = itk::CompositeTransform<double, D>::New();
  for (int i = argc - 1; i >= first; --i) {
    auto step = ReadStep<D>(argv[i]);
    if (auto * composite = dynamic_cast<itk::CompositeTransform<double, D> *>(step.GetPointer())) {
      for (unsigned int k = 0; k < composite->GetNumberOfTransforms(); ++k) {
        chain->AddTransform(composite->GetNthTransform(k));
      }
    } else {
      chain->AddTransform(step);
    }
  }
  return chain;
}

template <unsigned int D>
int Resample(int argc, char * argv[]) {
  using Image = itk::Image<float, D>;
  auto input = itk::ImageFileReader<Image>::New();
  input->SetFileName(argv[3]);
  auto reference = itk::ImageFileReader<Image>::New();
  reference->SetFileName(argv[4]);
  reference->Update();
  auto chain = ReadChain<D>(8, argc, argv);
  auto resample = itk::ResampleImageFilter<Image, Image, double>::New();
  resample->SetInput(input->GetOutput());
  resample->UseReferenceImageOn();
  resample->SetReferenceImage(reference->GetOutput());
  resample->SetTransform(chain);
  resample->SetDefaultPixelValue(std::stof(argv[7]));
  if (std::string(argv[6]) == "NearestNeighbor") {
    resample->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<Image, double>::New());
  } else if (std::string(argv[6]) == "BSpline") {
    auto bspline = itk::BSplineInterpolateImageFunction<Image, double, double>::New();
    bspline->SetSplineOrder(3);
    resample->SetInterpolator(bspline);
  } else {
    resample->SetInterpolator(itk::LinearInterpolateImageFunction<Image, double>::New());
  }
  auto writer = itk::ImageFileWriter<Image>::New();
  writer->SetInput(resample->GetOutput());
  writer->SetFileName(argv[5]);
  writer->Update();
  return 0;
}

template <unsigned int D>
int Compose(int argc, char * argv[]) {
  auto chain = ReadChain<D>(4, argc, argv);
  auto writer = itk::TransformFileWriterTemplate<double>::New();
  writer->SetFileName(argv[3]);
  writer->SetInput(chain);
  writer->SetUseCompression(true);
  writer->Update();
  return 0;
}

} // namespace

int main(int argc, char * argv[]) {
  itk::TransformFactory<itk::MatrixOffsetTransformBase<double, 2, 2>>::RegisterTransform();
  itk::TransformFactory<itk::MatrixOffsetTransformBase<double, 3, 3>>::RegisterTransform();
  try {
    const std::string command = argc > 1 ? argv[1] : "";
    if (command == "points" && argc == 4) {
      const std::string dim = argv[3];
      return dim == "2" ? MapPoints<2>(argv[2]) : dim == "3" ? MapPoints<3>(argv[2]) : 2;
    }
    if (command == "resample" && argc >= 9) {
      const std::string dim = argv[2];
      return dim == "2" ? Resample<2>(argc, argv) : dim == "3" ? Resample<3>(argc, argv) : 2;
    }
    if (command == "compose" && argc >= 5) {
      const std::string dim = argv[2];
      return dim == "2" ? Compose<2>(argc, argv) : dim == "3" ? Compose<3>(argc, argv) : 2;
    }
    if (command == "convert" && (argc == 4 || argc == 5)) {
      const bool single = argc == 5 && std::string(argv[4]) == "float";
      return single ? Convert<float>(argv[2], argv[3]) : Convert<double>(argv[2], argv[3]);
    }
    std::cerr << "usage: itk_transform_tool points FILE DIM | convert IN OUT [float] | resample DIM INPUT "
                 "REFERENCE OUTPUT Linear|NearestNeighbor|BSpline DEFAULT T1 [T2 ...] | compose DIM OUT T1 [T2 ...]" << std::endl;
    return 2;
  } catch (const itk::ExceptionObject & e) {
    std::cerr << e.GetDescription() << std::endl;
    return 1;
  }
}
