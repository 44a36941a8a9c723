import ArgumentParser
import Foundation
import PalisadeModel
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Output formats for reports.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Writes command output. Every write is checked (a full disk or a closed pipe is exit 2 with the reason in words),
/// files are written to a temporary file and renamed into place so a failure never leaves partial output, and an
/// input file is never overwritten.
enum Output {
    /// Files this run reads; `write` refuses to replace any of them. Set once, before anything is written.
    nonisolated(unsafe) static var inputPaths: [String] = []

    /// The name of the manifest `render --out DIR` leaves in DIR: the files it wrote, so a later `--force` render
    /// removes exactly those and nothing of the user's.
    static let renderManifest = ".palisade-render.json"

    static func write(_ text: String, to path: String?) throws {
        // Text files end with a newline (POSIX), so shells and `cat` don't glue the prompt to the last line.
        let text = text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
        guard let path, path != "-" else {
            try writeAll(fd: STDOUT_FILENO, Array(text.utf8), what: "standard output")
            return
        }
        try refuseInput(path)
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            // A device or pipe (/dev/stdout, a FIFO): write straight into it; renaming over it would replace it.
            guard (info.st_mode & S_IFMT) != S_IFDIR else { throw InputError(description: "error: cannot write '\(path)': it is a directory") }
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { throw failure("cannot open '\(path)'") }
            defer { close(fd) }
            try writeAll(fd: fd, Array(text.utf8), what: "'\(path)'")
            return
        }
        try atomicWrite(Array(text.utf8), to: path)
    }

    /// Refuses to write over a file this run reads (`--output` naming the input spec or template).
    static func refuseInput(_ path: String) throws {
        var target = stat()
        guard stat(path, &target) == 0 else { return }
        for input in inputPaths where input != "-" {
            var source = stat()
            if stat(input, &source) == 0, source.st_dev == target.st_dev, source.st_ino == target.st_ino {
                throw InputError(description: "error: refusing to write '\(path)': it is the input file '\(input)'; choose another output path")
            }
        }
    }

    /// `error: <what>: <reason in words>` from the current `errno`.
    static func failure(_ what: String) -> InputError {
        InputError(description: "error: \(what): \(String(cString: strerror(errno)))")
    }

    /// Writes every byte or throws with the reason (ENOSPC on a full disk, EPIPE on a closed pipe, …).
    static func writeAll(fd: Int32, _ bytes: [UInt8], what: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write to \(what)")
            }
            offset += written
        }
    }

    /// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it over `path`.
    static func atomicWrite(_ bytes: [UInt8], to path: String) throws {
        var template = Array((parent(of: path) + "/.palisade-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure("cannot write '\(path)'") }
        let temporary = String(cString: template)
        var done = false
        defer { if !done { unlink(temporary) } }
        do {
            try writeAll(fd: fd, bytes, what: "'\(path)'")
            guard fsync(fd) == 0 else { throw failure("cannot write '\(path)'") }
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw failure("cannot write '\(path)'") }
        _ = chmod(temporary, 0o644)
        guard rename(temporary, path) == 0 else { throw failure("cannot write '\(path)'") }
        done = true
    }

    /// Writes a rendered file set into `directory`. It is built in a temporary directory next to `directory` and
    /// moved into place. A directory that is not empty is refused unless `force`; with `force`, files an earlier
    /// render wrote (listed in its manifest) and not written again are removed, and nothing else is touched.
    static func writeDirectory(_ files: [(path: String, contents: String)], to directory: String, force: Bool) throws {
        let manager = FileManager.default
        for file in files { try refuseInput(join(directory, file.path)) }
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: directory, isDirectory: &isDirectory)
        if exists, !isDirectory.boolValue {
            throw InputError(description: "error: cannot render into '\(directory)': it is a file, not a directory")
        }
        var existing: [String] = []
        if exists {
            do { existing = try manager.contentsOfDirectory(atPath: directory) } catch {
                throw InputError(description: "error: cannot read '\(directory)': \(plain(error))")
            }
        }
        if !existing.isEmpty, !force {
            throw InputError(description: "error: '\(directory)' is not empty; pass --force to replace an earlier render there (only files it wrote are removed) or choose an empty directory")
        }
        let previous = exists ? previousManifest(directory) : []

        // 1. Stage everything beside the target, so a failure leaves the target untouched. The target's parents are
        //    created first ("created if missing" covers `--output out/default/terraform` in a fresh tree).
        if !exists {
            do { try manager.createDirectory(atPath: parent(of: directory), withIntermediateDirectories: true) } catch {
                throw InputError(description: "error: cannot create '\(parent(of: directory))': \(plain(error))")
            }
        }
        var template = Array((parent(of: directory) + "/.palisade-render-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw failure("cannot create a temporary directory beside '\(directory)'")
        }
        let staging = String(cString: template)
        _ = chmod(staging, 0o755)  // mkdtemp makes it private; the rendered directory is an ordinary one
        defer { try? manager.removeItem(atPath: staging) }
        let names = files.map(\.path).sorted()
        let manifest = "{\n  \"files\": [\n" + names.map { "    \(jsonString($0))" }.joined(separator: ",\n") + "\n  ],\n  \"writtenBy\": \"palisade render\"\n}\n"
        for file in files + [(path: renderManifest, contents: manifest)] {
            let target = join(staging, file.path)
            let folder = parent(of: target)
            do { try manager.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw InputError(description: "error: cannot create '\(folder)': \(plain(error))")
            }
            let text = file.contents.isEmpty || file.contents.hasSuffix("\n") ? file.contents : file.contents + "\n"
            try atomicWrite(Array(text.utf8), to: target)
        }

        // 2. Move into place: the whole directory when the target is new or empty, else file by file.
        if existing.isEmpty {
            if exists { _ = rmdir(directory) }
            guard rename(staging, directory) == 0 else { throw failure("cannot move the rendered files into '\(directory)'") }
            return
        }
        for stale in previous where !names.contains(stale) {
            let path = join(directory, stale)
            if unlink(path) != 0, errno != ENOENT { throw failure("cannot remove '\(path)' from an earlier render") }
        }
        for name in names + [renderManifest] {
            let target = join(directory, name)
            try? manager.createDirectory(atPath: parent(of: target), withIntermediateDirectories: true)
            guard rename(join(staging, name), target) == 0 else { throw failure("cannot write '\(target)'") }
        }
    }

    /// The files an earlier render recorded in `directory`'s manifest (relative paths without `..`).
    static func previousManifest(_ directory: String) -> [String] {
        let path = join(directory, renderManifest)
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = object["files"] as? [String] else { return [] }
        return files.filter { !$0.hasPrefix("/") && !$0.split(separator: "/").contains("..") && $0 != renderManifest }
    }

    /// The directory part of a path ("." for a bare name), without Foundation's path helpers, which trap on some inputs.
    static func parent(of path: String) -> String {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// `directory/name`.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    /// A file-system error in words ("No such file or directory"), not a platform error code.
    static func plain(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }

    /// Writes to standard error; a failure there (a full disk, a closed pipe) cannot be reported anywhere, so it is
    /// ignored rather than trapping as `FileHandle.write` does.
    static func message(_ text: String) {
        try? writeAll(fd: STDERR_FILENO, Array(text.utf8), what: "standard error")
    }

    /// Prints diagnostics to stderr; throws `InputError` when any is an error.
    static func report(_ diagnostics: Diagnostics) throws {
        for diagnostic in diagnostics {
            message(diagnostic.description + "\n")
        }
        if diagnostics.hasErrors {
            let count = diagnostics.errors.count
            throw InputError(description: "\(count) error\(count == 1 ? "" : "s"); nothing was written")
        }
    }
}

extension NameSpecification {
    /// One spelling for the output option in every command: `-o`/`--output`, with `--out` accepted as an alias.
    static let outputNames: NameSpecification = [.customShort("o"), .customLong("output"), .customLong("out")]
}
