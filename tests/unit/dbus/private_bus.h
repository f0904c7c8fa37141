// private_bus.h: a private dbus-daemon for integration tests (no service activation, so nothing
// on the host is started or touched), with private HOME and XDG directories.
//
// The daemon is started with --fork and found by the pid it prints; the destructor kills it
// (processes connected to it, such as gnome-keyring-daemon, exit when the bus goes away) and
// removes the directory. A missing dbus-daemon makes error() non-empty: tests REQUIRE it empty,
// so they fail loudly instead of skipping.
#pragma once

#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "platform/env.h"
#include "platform/process.h"

namespace av::testing {

class PrivateBus {
 public:
  PrivateBus() {
    std::string pattern = "/tmp/av-dbus-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      error_ = "mkdtemp failed";
      return;
    }
    dir_ = pattern;
    for (const char* sub : {"/home", "/run", "/data", "/config", "/cache"}) {
      ::mkdir((dir_ + sub).c_str(), 0700);
    }
    write_config();
    start_daemon();
  }
  ~PrivateBus() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    for (int extra : extra_pids_) ::kill(extra, SIGTERM);
    if (!dir_.empty()) ::nftw(dir_.c_str(), &remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  }
  PrivateBus(const PrivateBus&) = delete;
  PrivateBus& operator=(const PrivateBus&) = delete;

  const std::string& error() const { return error_; }
  const std::string& address() const { return address_; }
  const std::string& dir() const { return dir_; }
  // adopt_pid: another daemon to kill in the destructor.
  void adopt_pid(int pid) { extra_pids_.push_back(pid); }

  // env: PATH from the test process plus private HOME/XDG dirs and the bus address.
  platform::Environment env() const {
    const char* path = ::getenv("PATH");  // NOLINT: tests may read the environment directly
    std::vector<std::pair<std::string, std::string>> pairs = {
        {"PATH", path != nullptr ? path : "/usr/bin:/bin"},
        {"HOME", dir_ + "/home"},
        {"XDG_RUNTIME_DIR", dir_ + "/run"},
        {"XDG_DATA_HOME", dir_ + "/data"},
        {"XDG_CONFIG_HOME", dir_ + "/config"},
        {"XDG_CACHE_HOME", dir_ + "/cache"},
    };
    if (!address_.empty()) pairs.emplace_back("DBUS_SESSION_BUS_ADDRESS", address_);
    return platform::Environment::from_pairs(std::move(pairs));
  }

 private:
  void write_config() {
    std::ofstream conf(dir_ + "/bus.conf");
    conf << "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
            " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
            "<busconfig><type>session</type>\n"
         << "<listen>unix:path=" << dir_ << "/run/bus</listen>\n"
         << "<auth>EXTERNAL</auth>\n"
            "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
            "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n";
  }
  void start_daemon() {
    auto out = platform::capture_output({"dbus-daemon", "--config-file=" + dir_ + "/bus.conf",
                                         "--fork", "--print-address=1", "--print-pid=1"},
                                        env());
    if (!out) {
      error_ =
          "dbus-daemon did not start (apt-get install dbus): " + std::string(out.error().message());
      return;
    }
    const std::string text(out->reveal());
    const std::size_t nl = text.find('\n');
    address_ = text.substr(0, nl);
    pid_ = 0;
    for (std::size_t i = nl + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      pid_ = pid_ * 10 + (text[i] - '0');
    }
    if (address_.empty() || pid_ <= 0) error_ = "dbus-daemon printed no address or pid";
  }
  static int remove_entry(const char* p, const struct stat*, int, struct FTW*) {
    ::chmod(p, 0700);
    std::remove(p);
    return 0;
  }

  std::string dir_;
  std::string address_;
  std::string error_;
  int pid_ = 0;
  std::vector<int> extra_pids_;
};

}  // namespace av::testing
