import CZlib
import Foundation

/// CRC-32 (zlib's), as DynamoDB puts it in `x-amz-crc32` and as the journal seals each line.
public enum CRC32 {
    public static func of(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { buffer -> UInt32 in
            let bytes = buffer.bindMemory(to: UInt8.self)
            return UInt32(CZlib.crc32(0, bytes.baseAddress, uInt(bytes.count)))
        }
    }
}
