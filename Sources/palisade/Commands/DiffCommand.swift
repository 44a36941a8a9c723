import ArgumentParser
import Foundation
import PalisadeDiff
import PalisadeNetwork
import PalisadeReport

/// Report formats of `diff`.
enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, markdown
}

extension FailureCategory: ExpressibleByArgument {}

/// `palisade diff BEFORE AFTER` or `palisade diff --base REF INPUT`: what a change does to the network.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Review a change: flows it opens and closes, findings it introduces and resolves, resources it changes.",
        discussion: """
        Exit 1 when the change opens a path from the Internet, opens egress that bypasses the firewall, breaks a \
        required flow or violates an intent (choose with --fail-on); 0 otherwise; 2 on invalid input.
        """)

    @Argument(help: "BEFORE and AFTER (each a spec, ARM template or export), or with --base only the input to compare.")
    var inputs: [String] = []

    @Option(help: "Compare INPUT with the same path at this git revision (e.g. origin/main).")
    var base: String?

    @Option(help: "Output format: text, json, sarif (only what the change introduces) or markdown (a pull-request comment).")
    var format: DiffFormat = .text

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("markdown-output"), help: "Also write the Markdown summary to this file.")
    var markdownOutput: String?

    @Option(name: .customLong("fail-on"), parsing: .upToNextOption,
            help: "Categories that fail the review: internet, firewall-bypass, required-flow, intent, or none (default: all four).")
    var failOn: [String] = []

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var engineOptions: EngineOptions

    func validate() throws {
        if base == nil && inputs.count != 2 {
            throw ValidationError("diff needs BEFORE and AFTER, or --base REF and one INPUT (got \(inputs.count) input\(inputs.count == 1 ? "" : "s")).")
        }
        if base != nil && inputs.count != 1 {
            throw ValidationError("with --base, give exactly one INPUT: the file to compare with its version at the revision.")
        }
        _ = try categories()
    }

    /// The `--fail-on` categories.
    func categories() throws -> Set<FailureCategory> {
        let words = failOn.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
        if words.isEmpty { return Set(FailureCategory.allCases) }
        if words == ["none"] { return [] }
        var result: Set<FailureCategory> = []
        for word in words {
            guard let category = FailureCategory(rawValue: word) else {
                throw ValidationError("--fail-on '\(word)' is not a category: use internet, firewall-bypass, required-flow, intent or none.")
            }
            result.insert(category)
        }
        return result
    }

    func run() throws {
        let failOn = try categories()
        var temporary: URL?
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary.deletingLastPathComponent()) } }
        let beforeInput: LoadedInput
        let beforeLabel: String
        let afterPath: String
        if let base {
            afterPath = inputs[0]
            let file = try GitRevision.materialise(path: afterPath, at: base)
            temporary = file
            beforeInput = try LoadedInput.load(file.path, options: inputOptions)
            beforeLabel = "\(base):\(afterPath)"
        } else {
            beforeInput = try LoadedInput.load(inputs[0], options: inputOptions)
            beforeLabel = inputs[0]
            afterPath = inputs[1]
        }
        let afterInput = try LoadedInput.load(afterPath, options: inputOptions)
        let review = ChangeReview.review(before: ReviewInput(graph: beforeInput.graph, label: beforeLabel),
                                         after: ReviewInput(graph: afterInput.graph, label: afterPath),
                                         options: try engineOptions.networkOptions())
        let text: String = switch format {
        case .text: review.text
        case .json: try review.json()
        case .sarif: try JSONOutput.render(review.sarif(relativeTo: GitRevision.topLevel() ?? FileManager.default.currentDirectoryPath))
        case .markdown: review.markdown(failOn: failOn)
        }
        try Output.write(text, to: output)
        if let markdownOutput { try Output.write(review.markdown(failOn: failOn), to: markdownOutput) }
        if review.fails(on: failOn) { throw ExitCode(1) }
    }
}

/// Reading a file as it was at a git revision.
enum GitRevision {
    /// The repository's top-level directory, when the current directory is inside one.
    static func topLevel() -> String? {
        guard let (status, out, _) = try? git(["rev-parse", "--show-toplevel"]), status == 0 else { return nil }
        let path = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }

    /// Writes `path` as of `revision` to a new temporary directory (same file name, so the format is kept).
    static func materialise(path: String, at revision: String) throws -> URL {
        guard !revision.hasPrefix("-") else { throw InputError(description: "error: --base '\(revision)' is not a revision") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(description: "error: '\(path)' is a directory; --base compares one file (a spec, template or export)")
        }
        // `REV:./path` names the path relative to the current directory, as the user typed it.
        let spec = path.hasPrefix("/") ? "\(revision):\(relativeToTop(path))" : "\(revision):./\(path)"
        let result: (Int32, Data, Data)
        do { result = try git(["show", spec]) } catch {
            throw InputError(description: "error: cannot run git to read '\(path)' at \(revision): \(error.localizedDescription)")
        }
        guard result.0 == 0 else {
            let message = String(decoding: result.2, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw InputError(description: "error: cannot read '\(path)' at revision '\(revision)': \(message) (is it committed there, and is the revision fetched?)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-diff-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent)
            try result.1.write(to: file)
            return file
        } catch {
            throw InputError(description: "error: cannot write a temporary copy of '\(path)' at \(revision): \(error.localizedDescription)")
        }
    }

    private static func relativeToTop(_ path: String) -> String {
        guard let top = topLevel() else { return path }
        return path.hasPrefix(top + "/") ? String(path.dropFirst(top.count + 1)) : path
    }

    /// Runs git with `arguments`; returns status, standard output and standard error.
    static func git(_ arguments: [String]) throws -> (Int32, Data, Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a large file cannot fill a pipe and block git.
        final class Bytes: @unchecked Sendable { var data = Data() }
        let stderrBytes = Bytes()
        let group = DispatchGroup()
        let handle = err.fileHandleForReading
        DispatchQueue.global().async(group: group) { stderrBytes.data = handle.readDataToEndOfFile() }
        let stdoutBytes = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, stdoutBytes, stderrBytes.data)
    }
}
