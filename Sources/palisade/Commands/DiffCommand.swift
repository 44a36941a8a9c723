import ArgumentParser
import Foundation
import PalisadeDiff
import PalisadeModel
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

    @Argument(help: "BEFORE and AFTER (each a spec, ARM template, Bicep file, Terraform directory or plan, export or audit snapshot), or with --base only the input to compare.")
    var inputs: [String] = []

    @Option(help: "Compare INPUT (a file or a Terraform directory) with the same path at this git revision (e.g. origin/main).")
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
            throw ValidationError("with --base, give exactly one INPUT: the file or directory to compare with its version at the revision.")
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
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        var beforeInput: LoadedInput
        let beforeLabel: String
        let afterPath: String
        if let base {
            afterPath = inputs[0]
            let (root, copy) = try GitRevision.materialise(path: afterPath, at: base)
            temporary = root
            beforeInput = try LoadedInput.load(copy.path, options: inputOptions)
            // Findings of the old version name `REV:path` (path from the repository's top), not the temporary copy,
            // so the output is the same on every run.
            let tree = root.appendingPathComponent("tree").path + "/"
            beforeInput.graph = beforeInput.graph.relocatingSources { location in
                guard location.file.hasPrefix(tree) else { return location }
                var moved = location
                moved.file = "\(base):" + location.file.dropFirst(tree.count)
                return moved
            }
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

    /// Writes the repository's tree as of `revision` to a new temporary directory (`root`, which the caller
    /// removes) and returns where `path` (a file or a directory, such as a Terraform configuration) is in it. The whole tree is written because inputs refer
    /// to neighbours: Bicep and Terraform modules, parameter files, variable files. The repository itself (its
    /// index, work tree and refs) is not touched: a private index file is used.
    static func materialise(path: String, at revision: String) throws -> (root: URL, copy: URL) {
        guard !revision.hasPrefix("-") else { throw InputError(description: "error: --base '\(revision)' is not a revision") }
        guard let top = topLevel() else {
            throw InputError(description: "error: --base needs a git repository; the current directory is not in one")
        }
        let absolute = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/"))
            .standardizedFileURL.path
        let resolvedTop = URL(fileURLWithPath: top).resolvingSymlinksInPath().path
        // The directories above the input are resolved (the current directory may sit under a link); the input's own
        // name is kept as typed, so a tracked link is read as the link at the revision, not as today's target.
        let absoluteURL = URL(fileURLWithPath: absolute)
        let resolvedPath = absoluteURL.path == "/" ? "/"
            : absoluteURL.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(absoluteURL.lastPathComponent).path
        guard resolvedPath == resolvedTop || resolvedPath.hasPrefix(resolvedTop + "/") else {
            throw InputError(description: "error: '\(path)' is outside the git repository at \(top); --base compares a path inside it")
        }
        let relative = String(resolvedPath.dropFirst(resolvedTop.count)).drop { $0 == "/" }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-diff-\(UUID().uuidString)")
        let tree = directory.appendingPathComponent("tree")
        // Readable by the user only: the tree may hold variable files with values in them.
        do { try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
             try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path) } catch {
            throw InputError(description: "error: cannot create a temporary directory for '\(path)' at \(revision): \(error.localizedDescription)")
        }
        let index = ["GIT_INDEX_FILE": directory.appendingPathComponent("index").path]
        // Offline: Git LFS's smudge filter would fetch from the network; pointers are written as stored instead.
        let offline = ["-c", "filter.lfs.smudge=", "-c", "filter.lfs.process=", "-c", "filter.lfs.required=false"]
        for arguments in [["-C", top, "read-tree", revision], ["-C", top] + offline + ["checkout-index", "--all", "--force", "--prefix=\(tree.path)/"]] {
            let result: (Int32, Data, Data)
            do { result = try git(arguments, environment: index) } catch {
                try? FileManager.default.removeItem(at: directory)
                throw InputError(description: "error: cannot run git to read '\(path)' at \(revision): \(error.localizedDescription)")
            }
            guard result.0 == 0 else {
                try? FileManager.default.removeItem(at: directory)
                let message = String(decoding: result.2, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw InputError(description: "error: cannot read '\(path)' at revision '\(revision)': \(message) (is the revision fetched?)")
            }
        }
        let copy = relative.isEmpty ? tree : tree.appendingPathComponent(String(relative))
        guard FileManager.default.fileExists(atPath: copy.path) else {
            try? FileManager.default.removeItem(at: directory)
            throw InputError(description: "error: '\(path)' does not exist at revision '\(revision)' (is it committed there?)")
        }
        return (directory, copy)
    }

    /// Runs git with `arguments`; returns status, standard output and standard error.
    static func git(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, Data, Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
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
