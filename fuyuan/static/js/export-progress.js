// 导出Excel：the workbook is streamed (cases.ledger_views.case_export); while it arrives the list shows how much has
// come and for how long, then hands the file to the browser. Without scripts the link downloads it directly.
(function () {
  "use strict";

  function size(bytes) {
    return bytes < 1024 * 1024 ? Math.max(1, Math.round(bytes / 1024)) + " KB" : (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function filenameOf(response) {
    const header = response.headers.get("Content-Disposition") || "";
    const match = /filename\*=UTF-8''([^;]+)/.exec(header);
    return match ? decodeURIComponent(match[1]) : "export.xlsx";
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-export]");
    if (!link || !window.fetch || !window.ReadableStream) return;
    event.preventDefault();
    const box = document.querySelector("[data-testid=export-progress]");
    const text = box.querySelector("[data-export-text]");
    const bar = box.querySelector("[data-export-bar]");
    const cancel = box.querySelector("[data-export-cancel]");
    const count = link.dataset.exportCount;
    const what = link.dataset.exportWhat || "条记录";
    const controller = new AbortController();
    const started = Date.now();
    let received = 0;
    const show = function () {
      const seconds = Math.round((Date.now() - started) / 1000);
      text.textContent = "正在导出 " + count + " " + what + "，已接收 " + size(received) + "，用时 " + seconds + " 秒。请勿关闭本页。";
    };
    link.classList.add("disabled");
    box.hidden = false;
    box.className = "alert alert-secondary py-2 mb-2";
    bar.parentElement.hidden = false;
    cancel.hidden = false;
    cancel.onclick = function () { controller.abort(); };
    show();
    const timer = setInterval(show, 1000);
    const chunks = [];
    fetch(link.href, { signal: controller.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        const reader = response.body.getReader();
        const pump = function () {
          return reader.read().then(function (step) {
            if (step.done) return;
            chunks.push(step.value);
            received += step.value.length;
            show();
            return pump();
          });
        };
        return pump().then(function () { return filenameOf(response); });
      })
      .then(function (filename) {
        const url = URL.createObjectURL(new Blob(chunks, { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
        const save = document.createElement("a");
        save.href = url;
        save.download = filename;
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        box.className = "alert alert-success py-2 mb-2";
        text.textContent = "导出完成：共 " + count + " " + what + "，" + size(received) + "，文件“" + filename + "”已交给浏览器下载。";
      })
      .catch(function (error) {
        box.className = "alert alert-warning py-2 mb-2";
        text.textContent = error.name === "AbortError" ? "已取消导出。" : "导出没有完成（网络中断或服务器出错），请重试。";
      })
      .finally(function () {
        clearInterval(timer);
        bar.parentElement.hidden = true;
        cancel.hidden = true;
        link.classList.remove("disabled");
      });
  });
})();
