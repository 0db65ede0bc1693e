// What ITK makes of a transform file, for the tests to compare against:
//   itk_transform_tool points FILE DIM     maps each "x y [z]" line of stdin through the file's transform
//   itk_transform_tool convert IN OUT [float]  reads IN and writes OUT (format by OUT's extension) in
//                                              double or float precision, as ITK's writers do
// The transform of a file is its only transform, or its CompositeTransform (ITK applies the queue
// from the last component to the first). MatrixOffsetTransformBase is registered as ANTs does, since
// older tools wrote it and ITK's factory lacks it.
#include <iostream>
#include <sstream>
#include <string>

#include "itkCompositeTransform.h"
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
    if (command == "convert" && (argc == 4 || argc == 5)) {
      const bool single = argc == 5 && std::string(argv[4]) == "float";
      return single ? Convert<float>(argv[2], argv[3]) : Convert<double>(argv[2], argv[3]);
    }
    std::cerr << "usage: itk_transform_tool points FILE DIM | convert IN OUT [float]" << std::endl;
    return 2;
  } catch (const itk::ExceptionObject & e) {
    std::cerr << e.GetDescription() << std::endl;
    return 1;
  }
}
