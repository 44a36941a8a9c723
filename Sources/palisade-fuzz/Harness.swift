import Foundation
import PalisadeARM
import PalisadeModel
import PalisadeSpec

/// One fuzz input through every parser and evaluator that reads untrusted text: the JSON parser, the ARM
/// expression parser and evaluator, the template evaluator, the ARM importer and the YAML spec loader.
/// Any outcome but a crash, a hang or runaway memory is fine: hostile input must only produce diagnostics.
enum Harness {
    /// Work bound for one input, so libFuzzer's per-input timeout only catches real hangs.
    static var options: EvaluationOptions {
        var options = EvaluationOptions()
        options.placeholders = true
        options.limits.maxEvaluationSteps = 500_000
        return options
    }

    static func run(_ bytes: [UInt8]) {
        // JSON: a template, a resource export or anything else.
        var parser = JSONParser(maxDepth: 256)
        if let node = try? parser.parse(bytes: bytes) {
            if ResourceExport.isExport(node) {
                let (raw, _) = ResourceExport.resources(from: node, file: "fuzz.json")
                _ = ARMImporter.convert(raw, rejectDuplicateIDs: true)
            } else {
                let deployment = TemplateEvaluator.expand(node, file: "fuzz.json", options: options)
                _ = ARMImporter.importDeployment(deployment)
                _ = deployment.renderJSON()
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // The text as one expression, evaluated as a template output.
        if bytes.count < 4096 {
            let expression = text.hasPrefix("[") ? text : "[\(text)]"
            if (try? ExpressionParser.classify(expression)) != nil {
                let template = #"{"resources": [], "outputs": {"o": {"type": "object", "value": \#(quoted(expression))}}}"#
                var p = JSONParser(maxDepth: 16)
                if let node = try? p.parse(template) {
                    _ = TemplateEvaluator.expand(node, file: "fuzz.json", options: options).renderOutputsJSON()
                }
            }
        }
        // YAML: the spec loader plans whatever it accepts.
        _ = SpecLoader().design(data: Data(bytes), file: "fuzz.yaml")
    }

    static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}

#if FUZZING
/// libFuzzer's entry point (built with `-sanitize=fuzzer -DFUZZING`; see scripts/fuzz.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    Harness.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's driver from there.
@_cdecl("palisade_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}
#else
/// Without libFuzzer: replays files (a corpus, a crash reproducer) through the same harness.
@main
struct FuzzReplay {
    static func main() {
        let files = CommandLine.arguments.dropFirst()
        if files.isEmpty {
            FileHandle.standardError.write(Data("usage: palisade-fuzz FILE...  (replays inputs; scripts/fuzz.sh runs libFuzzer)\n".utf8))
            exit(2)
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            Harness.run([UInt8](data))
        }
    }
}
#endif
