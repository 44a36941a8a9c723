import Foundation
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// Why an input could not be read, in words ("No such file or directory", "Is a directory"), never an error code.
public struct InputReadError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var reason: String
    /// How to fix it.
    public var fix: String
    /// The reason.
    public var description: String { reason }
}

/// Bounded, checked reads of input files and standard input.
public enum InputFile {
    /// Reads at most `limit` bytes of a regular file (or a pipe/device such as /dev/stdin).
    public static func read(path: String, limit: Int) -> Result<[UInt8], InputReadError> {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(InputReadError(reason: "it is a directory", fix: "name a file inside it"))
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            let fix = errno == ENOENT ? "check the path" : (errno == EACCES ? "check the file's permissions" : "check the path and permissions")
            return .failure(InputReadError(reason: reason, fix: fix))
        }
        defer { close(fd) }
        return read(fd: fd, limit: limit, name: path)
    }

    /// Reads an open descriptor to its end, refusing more than `limit` bytes.
    public static func read(fd: Int32, limit: Int, name: String) -> Result<[UInt8], InputReadError> {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(InputReadError(reason: String(cString: strerror(errno)), fix: "check that \(name) is a readable file"))
            }
            if n == 0 { return .success(out) }
            out.append(contentsOf: chunk[0..<n])
            if out.count > limit {
                return .failure(InputReadError(reason: "it is larger than \(limit / (1024 * 1024)) MB", fix: "pass a smaller file"))
            }
        }
    }
}
