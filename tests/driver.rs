//! Drives the real app binary through `tauri-driver` and WebKitWebDriver.
//!
//! `tauri-driver` is stopped with SIGTERM (never SIGKILL, which orphans WebKitWebDriver and
//! hangs the caller); each run uses fresh ports so runs never collide.
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The workspace root (this package lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The app binary: `RIGHTSDESK_BIN`, else `target/debug/rightsdesk`.
pub fn app_binary() -> PathBuf {
    std::env::var_os("RIGHTSDESK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/rightsdesk"))
}

fn free_port() -> Res<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A running `tauri-driver`; stopped gracefully on drop.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Driver {
    /// Starts `tauri-driver` with the app's data directory set to `data_dir`.
    pub fn start(data_dir: &Path) -> Res<Self> {
        let port = free_port()?;
        let native = free_port()?;
        let child = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("RIGHTSDESK_DATA_DIR", data_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start tauri-driver (cargo install tauri-driver --locked): {e}"))?;
        let driver = Self { child, port };
        // tauri-driver listens at once but starts WebKitWebDriver beside it without waiting for it
        // (tauri-apps/tauri#3576): a session asked for before WebKitWebDriver listens is cut off
        // ("IncompleteMessage"), which happened under load. Wait for both.
        for (what, port) in [("tauri-driver", port), ("WebKitWebDriver", native)] {
            let deadline = Instant::now() + Duration::from_secs(30);
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                if Instant::now() > deadline {
                    return Err(format!("{what} did not start listening on port {port} within 30 s").into());
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        Ok(driver)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM lets tauri-driver stop WebKitWebDriver and the app.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebDriver session on the real app's window, with helpers that address elements by their
/// `data-testid`.
pub struct App {
    pub client: Client,
    timeout: Duration,
}

pub fn testid(id: &str) -> String {
    format!("[data-testid='{id}']")
}

impl App {
    pub async fn connect(driver: &Driver) -> Res<Self> {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), serde_json::json!("wry"));
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app_binary().display().to_string() }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .map_err(|e| format!("starting the app through tauri-driver (new WebDriver session): {e}"))?;
        Ok(Self { client, timeout: Duration::from_secs(15) })
    }

    /// Finds an element and scrolls it to the middle of the window (sticky bars never cover it).
    pub async fn find(&self, id: &str) -> Res<Element> {
        let el = self.find_only(id).await?;
        let arg = serde_json::to_value(&el)?;
        let _ = self.client.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]).await;
        Ok(el)
    }

    async fn find_only(&self, id: &str) -> Res<Element> {
        let css = testid(id);
        Ok(self
            .client
            .wait()
            .at_most(self.timeout)
            .for_element(Locator::Css(&css))
            .await
            .map_err(|e| format!("element [data-testid={id}] did not appear: {e}"))?)
    }

    pub async fn find_css(&self, css: &str) -> Res<Element> {
        Ok(self
            .client
            .wait()
            .at_most(self.timeout)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("element {css} did not appear: {e}"))?)
    }

    pub async fn all(&self, id: &str) -> Res<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(&testid(id))).await?)
    }

    pub async fn click(&self, id: &str) -> Res<()> {
        let el = self.find(id).await?;
        // A click can land while a dialog or a re-render is still settling: retry briefly.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match el.clone().click().await {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                Err(e) => return Err(format!("clicking [data-testid={id}]: {e}").into()),
            }
        }
    }

    pub async fn fill(&self, id: &str, text: &str) -> Res<()> {
        let el = self.find(id).await?;
        el.clear().await.map_err(|e| format!("clearing [data-testid={id}]: {e}"))?;
        if !text.is_empty() {
            el.send_keys(text).await.map_err(|e| format!("typing into [data-testid={id}]: {e}"))?;
        }
        Ok(())
    }

    pub async fn select(&self, id: &str, value: &str) -> Res<()> {
        self.find(id)
            .await?
            .select_by_value(value)
            .await
            .map_err(|e| format!("choosing {value:?} in [data-testid={id}]: {e}"))?;
        Ok(())
    }

    /// Ticks a checkbox (whatever its current state).
    pub async fn check(&self, id: &str) -> Res<()> {
        let el = self.find(id).await?;
        if !el.is_selected().await? {
            el.click().await.map_err(|e| format!("ticking [data-testid={id}]: {e}"))?;
        }
        Ok(())
    }

    pub async fn text(&self, id: &str) -> Res<String> {
        Ok(self.find(id).await?.text().await?)
    }

    /// Waits until the element's text satisfies `pred`; returns the text.
    pub async fn wait_text(&self, id: &str, pred: impl Fn(&str) -> bool) -> Res<String> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Ok(Some(el)) =
                self.client.find_all(Locator::Css(&testid(id))).await.map(|v| v.into_iter().next())
                && let Ok(t) = el.text().await
                && pred(&t)
            {
                return Ok(t);
            }
            if Instant::now() > deadline {
                return Err(format!("[data-testid={id}] never showed the expected text").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element's attribute satisfies `pred`; returns its value.
    pub async fn wait_attr(&self, id: &str, attr: &str, pred: impl Fn(&str) -> bool) -> Res<String> {
        let deadline = Instant::now() + self.timeout;
        let mut last = String::new();
        loop {
            if let Ok(Some(el)) =
                self.client.find_all(Locator::Css(&testid(id))).await.map(|v| v.into_iter().next())
                && let Ok(Some(v)) = el.attr(attr).await
            {
                if pred(&v) {
                    return Ok(v);
                }
                last = v;
            }
            if Instant::now() > deadline {
                return Err(format!("[data-testid={id}] {attr} stayed {last:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element `loc` finds has text satisfying `pred`; returns the text. For what
    /// has no `data-testid` of its own (a value in a list of facts, found by its label).
    pub async fn wait_text_at(&self, loc: Locator<'_>, pred: impl Fn(&str) -> bool) -> Res<String> {
        let deadline = Instant::now() + self.timeout;
        let mut last = String::new();
        loop {
            if let Ok(Some(el)) = self.client.find_all(loc).await.map(|v| v.into_iter().next())
                && let Ok(t) = el.text().await
            {
                if pred(&t) {
                    return Ok(t);
                }
                last = t;
            }
            if Instant::now() > deadline {
                return Err(format!("{loc:?} never showed the expected text (last: {last:?})").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until no element has this `data-testid` (a badge cleared, a notice gone).
    pub async fn wait_gone(&self, id: &str) -> Res<()> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Ok(v) = self.client.find_all(Locator::Css(&testid(id))).await
                && v.is_empty()
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("[data-testid={id}] was still there after {:?}", self.timeout).into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a PNG of the window to `dir/name.png`.
    pub async fn screenshot(&self, dir: &Path, name: &str) -> Res<()> {
        // Let the UI settle (fonts, transitions) before the picture.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let png = self.client.screenshot().await?;
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join(format!("{name}.png")), png)?;
        Ok(())
    }
}
