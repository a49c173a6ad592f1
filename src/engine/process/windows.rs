//! Job Objects: each child starts suspended, joins a job of its own before it runs a single
//! instruction, and everything it starts joins the same job (no breakaway is allowed), so
//! terminating the job kills the whole tree. The job is made to kill its processes when its
//! last handle closes, so the tree also dies with the runner however the runner ends.

use std::io;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use std::os::windows::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;

use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::System::Console::{
    CTRL_BREAK_EVENT, CTRL_C_EVENT, CTRL_CLOSE_EVENT, SetConsoleCtrlHandler,
};
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, TH32CS_SNAPTHREAD, THREADENTRY32, Thread32First, Thread32Next,
};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    JOB_OBJECT_LIMIT_PROCESS_MEMORY, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    JobObjectExtendedLimitInformation, SetInformationJobObject, TerminateJobObject,
};
use windows_sys::Win32::System::Threading::{
    CREATE_SUSPENDED, OpenThread, ResumeThread, THREAD_SUSPEND_RESUME,
};

use super::{Exit, Limits};

/// The exit code of processes killed with their job (what `Child::kill` uses too).
const KILLED: u32 = 1;

/// The job that holds a child and all its descendants; closing it kills them.
#[derive(Debug)]
pub(super) struct Group(OwnedHandle);

/// Sets up `cmd` to start suspended, with no stdin, so it can join its job before it runs.
pub(super) fn prepare(cmd: &mut Command, _limits: &Limits) {
    cmd.stdin(Stdio::null()).creation_flags(CREATE_SUSPENDED);
}

/// Puts the suspended `child` in a new job under `limits`, then lets it run. On error the
/// child is still suspended and the caller kills it.
pub(super) fn adopt(child: &Child, limits: &Limits) -> io::Result<Group> {
    // SAFETY: plain Win32 calls on handles we own; every struct is zeroed (a valid state for
    // these plain-data structs) and sized as the calls require.
    unsafe {
        let job = CreateJobObjectW(std::ptr::null(), std::ptr::null());
        if job.is_null() {
            return Err(io::Error::last_os_error());
        }
        let group = Group(OwnedHandle::from_raw_handle(job));
        let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = std::mem::zeroed();
        info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        if let Some(bytes) = limits.memory_bytes {
            // Like RLIMIT_AS on Linux: a cap on each process, here on its committed memory.
            info.BasicLimitInformation.LimitFlags |= JOB_OBJECT_LIMIT_PROCESS_MEMORY;
            info.ProcessMemoryLimit = usize::try_from(bytes).unwrap_or(usize::MAX);
        }
        let set = SetInformationJobObject(
            job,
            JobObjectExtendedLimitInformation,
            (&raw const info).cast(),
            size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
        );
        if set == 0 || AssignProcessToJobObject(job, child.as_raw_handle()) == 0 {
            return Err(io::Error::last_os_error());
        }
        resume(child.id())?;
        Ok(group)
    }
}

/// Resumes every thread of process `pid` (a process created suspended has one). std keeps
/// the main thread's handle to itself, so the threads are found through a snapshot.
fn resume(pid: u32) -> io::Result<()> {
    // SAFETY: the snapshot handle is checked and closed; THREADENTRY32 is plain data with its
    // size set as Thread32First requires.
    unsafe {
        let snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
        if snapshot == INVALID_HANDLE_VALUE {
            return Err(io::Error::last_os_error());
        }
        let mut entry: THREADENTRY32 = std::mem::zeroed();
        entry.dwSize = size_of::<THREADENTRY32>() as u32;
        let mut resumed = 0;
        let mut more = Thread32First(snapshot, &mut entry) != 0;
        while more {
            if entry.th32OwnerProcessID == pid {
                let thread: HANDLE = OpenThread(THREAD_SUSPEND_RESUME, 0, entry.th32ThreadID);
                if !thread.is_null() {
                    if ResumeThread(thread) != u32::MAX {
                        resumed += 1;
                    }
                    CloseHandle(thread);
                }
            }
            more = Thread32Next(snapshot, &mut entry) != 0;
        }
        CloseHandle(snapshot);
        if resumed == 0 {
            return Err(io::Error::other(format!(
                "cannot resume process {pid} after putting it in its job"
            )));
        }
        Ok(())
    }
}

/// Kills every process of the job; closing the handle afterwards would kill them too.
pub(super) fn kill(_pid: u32, group: Option<Group>) {
    if let Some(Group(job)) = group {
        // SAFETY: `job` is a valid job handle we own.
        unsafe {
            TerminateJobObject(job.as_raw_handle(), KILLED);
        }
    }
}

pub(super) fn exit_from(status: ExitStatus) -> Exit {
    Exit::Code(status.code().unwrap_or(-1))
}

type Handler = Box<dyn Fn(i32) + Send>;

/// The handlers [`on_termination`] registered, called in order from the console's thread.
static HANDLERS: Mutex<Vec<Handler>> = Mutex::new(Vec::new());

/// Calls `handler` on Ctrl-C, Ctrl-Break and the console window closing, with the number of
/// the Unix signal that means the same (SIGINT, SIGHUP), so exit codes match.
pub(super) fn on_termination(handler: impl Fn(i32) + Send + 'static) {
    let mut handlers = HANDLERS.lock().unwrap_or_else(|e| e.into_inner());
    if handlers.is_empty() {
        // SAFETY: `console_event` is a valid handler for the life of the process.
        if unsafe { SetConsoleCtrlHandler(Some(console_event), 1) } == 0 {
            return;
        }
    }
    handlers.push(Box::new(handler));
}

/// Runs on a thread Windows starts for the event; returning nonzero keeps the process alive
/// (for Ctrl-C; a closing console ends the process when this returns, so the handlers cancel
/// before that).
unsafe extern "system" fn console_event(event: u32) -> windows_sys::core::BOOL {
    let signal = match event {
        CTRL_C_EVENT | CTRL_BREAK_EVENT => 2,
        CTRL_CLOSE_EVENT => 1,
        _ => return 0,
    };
    for handler in HANDLERS.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        handler(signal);
    }
    1
}

/// Whether `pid` still runs (termination completes after TerminateJobObject returns).
#[cfg(test)]
pub(super) fn alive(pid: u32) -> bool {
    use windows_sys::Win32::Foundation::WAIT_TIMEOUT;
    use windows_sys::Win32::System::Threading::{
        OpenProcess, PROCESS_SYNCHRONIZE, WaitForSingleObject,
    };
    // SAFETY: the process handle is checked and closed.
    unsafe {
        let process = OpenProcess(PROCESS_SYNCHRONIZE, 0, pid);
        if process.is_null() {
            return false;
        }
        let running = WaitForSingleObject(process, 0) == WAIT_TIMEOUT;
        CloseHandle(process);
        running
    }
}
