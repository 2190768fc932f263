//! The worker's messages on the wire: each a run of frames.
//!
//! A frame is a little-endian `u32` whose low 31 bits are the frame's length and whose top bit
//! says that more frames of the same message follow, then that many bytes. The worker encodes a
//! message straight into frames, in one pass and a frame's buffer at a time; the supervisor
//! decodes it from the frames as they arrive. A message with a length prefix would need its
//! length first: a second encoding pass, and for the large return a body of some 80 MB read
//! whole before its decoding could start.

use std::io::{Read, Write};

/// The bytes of a full frame.
pub(super) const FRAME: usize = 1 << 20;

/// The top bit of a frame's header: more frames of the message follow.
const MORE: u32 = 1 << 31;

/// Writes one message as frames into `w` (see the module); [`FrameWriter::finish`] ends it.
pub(super) struct FrameWriter<'a, W: Write> {
    w: &'a mut W,
    buf: Vec<u8>,
    total: usize,
    limit: usize,
}

impl<'a, W: Write> FrameWriter<'a, W> {
    /// A message of at most `limit` bytes into `w`.
    pub(super) fn new(w: &'a mut W, limit: usize) -> Self {
        FrameWriter {
            w,
            buf: Vec::new(),
            total: 0,
            limit,
        }
    }

    fn frame(&mut self, more: bool) -> std::io::Result<()> {
        let len = self.buf.len() as u32 | if more { MORE } else { 0 };
        self.w.write_all(&len.to_le_bytes())?;
        self.w.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// Writes the last frame (possibly empty): the message is whole.
    pub(super) fn finish(mut self) -> std::io::Result<()> {
        self.frame(false)
    }
}

impl<W: Write> Write for FrameWriter<'_, W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.total += data.len();
        if self.total > self.limit {
            return Err(std::io::Error::other(
                "a message longer than the supervisor reads",
            ));
        }
        let mut rest = data;
        while !rest.is_empty() {
            let room = FRAME - self.buf.len();
            let (now, later) = rest.split_at(room.min(rest.len()));
            self.buf.extend_from_slice(now);
            rest = later;
            if self.buf.len() == FRAME {
                self.frame(true)?;
            }
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads one message's bytes from its frames: the end of the message is the end of this
/// reader. [`FrameReader::begin`] first, then read, then [`FrameReader::drain`].
pub(super) struct FrameReader<'a, R: Read> {
    r: &'a mut R,
    /// Bytes left in the current frame.
    left: usize,
    more: bool,
    total: usize,
    limit: usize,
}

impl<'a, R: Read> FrameReader<'a, R> {
    /// The next message of `r`, at most `limit` bytes.
    pub(super) fn new(r: &'a mut R, limit: usize) -> Self {
        FrameReader {
            r,
            left: 0,
            more: false,
            total: 0,
            limit,
        }
    }

    /// Reads the message's first frame header; `false` when the stream ends (or breaks)
    /// before it.
    pub(super) fn begin(&mut self) -> bool {
        self.header().is_ok()
    }

    fn header(&mut self) -> std::io::Result<()> {
        let mut h = [0u8; 4];
        self.r.read_exact(&mut h)?;
        let v = u32::from_le_bytes(h);
        self.more = v & MORE != 0;
        self.left = (v & !MORE) as usize;
        self.total += self.left;
        if self.left > FRAME || self.total > self.limit {
            return Err(std::io::Error::other("a frame longer than a worker writes"));
        }
        Ok(())
    }

    /// Reads what is left of the message; an error when the stream breaks inside it.
    pub(super) fn drain(&mut self) -> std::io::Result<()> {
        std::io::copy(self, &mut std::io::sink()).map(|_| ())
    }
}

impl<R: Read> Read for FrameReader<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.left == 0 {
            if !self.more {
                return Ok(0);
            }
            self.header()?;
        }
        let want = out.len().min(self.left);
        let n = self.r.read(out.get_mut(..want).unwrap_or_default())?;
        if n == 0 && want > 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.left -= n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(messages: &[Vec<u8>]) -> std::io::Result<Vec<u8>> {
        let mut wire = Vec::new();
        for m in messages {
            let mut w = FrameWriter::new(&mut wire, usize::MAX);
            // in uneven pieces, as an encoder writes
            for piece in m.chunks(7919) {
                w.write_all(piece)?;
            }
            w.finish()?;
        }
        Ok(wire)
    }

    fn receive(wire: &[u8]) -> Vec<Vec<u8>> {
        let mut r = wire;
        let mut out = Vec::new();
        loop {
            let mut f = FrameReader::new(&mut r, usize::MAX);
            if !f.begin() {
                break;
            }
            let mut m = Vec::new();
            if f.read_to_end(&mut m).is_err() || f.drain().is_err() {
                break;
            }
            out.push(m);
        }
        out
    }

    #[test]
    fn messages_of_any_length_come_back_whole() -> std::io::Result<()> {
        let messages: Vec<Vec<u8>> = [0, 1, 5, FRAME - 1, FRAME, FRAME + 1, 3 * FRAME + 17]
            .iter()
            .map(|&n| (0..n).map(|i| (i % 251) as u8).collect())
            .collect();
        let wire = send(&messages)?;
        assert_eq!(receive(&wire), messages);
        Ok(())
    }

    #[test]
    fn a_broken_stream_ends_the_messages() -> std::io::Result<()> {
        let messages = vec![vec![1u8; 10], vec![2u8; 2 * FRAME + 3]];
        let wire = send(&messages)?;
        // cut inside the second message: the first comes back, the second does not
        for cut in [20, FRAME, wire.len() - 1] {
            assert_eq!(
                receive(&wire[..cut]),
                messages[..1].to_vec(),
                "cut at {cut}"
            );
        }
        // a header claiming more than a frame is a broken stream
        let mut bad = vec![0xFF, 0xFF, 0xFF, 0x7F];
        bad.extend_from_slice(&[0u8; 64]);
        assert!(receive(&bad).is_empty());
        Ok(())
    }

    #[test]
    fn the_limit_holds_on_both_sides() {
        let mut wire = Vec::new();
        let mut w = FrameWriter::new(&mut wire, 100);
        assert!(w.write_all(&[0u8; 101]).is_err());
        let messages = vec![vec![0u8; 300]];
        let Ok(wire) = send(&messages) else {
            panic!("the unlimited writer wrote")
        };
        let mut r = wire.as_slice();
        let mut f = FrameReader::new(&mut r, 100);
        assert!(!f.begin(), "a 300-byte frame is over a 100-byte limit");
    }
}
