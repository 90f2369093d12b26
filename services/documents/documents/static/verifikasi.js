/* /verifikasi: reads a Suket's QR with the camera or from a photo (jsQR, vendored next to this
 * file) into the form and sends it. Without JavaScript the page still works: paste the text. */
(function () {
  "use strict";
  var form = document.getElementById("verifikasi-form");
  if (!form || typeof jsQR !== "function") {
    return;
  }
  var field = document.getElementById("qr_payload");
  var status = document.getElementById("status-pindai");
  var video = document.getElementById("kamera");
  var cameraButton = document.getElementById("pindai-kamera");
  var photoButton = document.getElementById("pilih-foto");
  var photoInput = document.getElementById("foto-qr");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var MAX_SIDE = 1600;   // large photos are scaled down before decoding

  function say(text) {
    status.textContent = text;
  }

  function read(source, width, height) {
    var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var code = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
    return code && code.data ? code.data : null;
  }

  function stopCamera() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.hidden = true;
  }

  function found(text) {
    stopCamera();
    field.value = text;
    say("Kode QR terbaca; sedang diperiksa…");
    form.submit();
  }

  function scanFrame() {
    if (!stream) {
      return;
    }
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      var text = read(video, video.videoWidth, video.videoHeight);
      if (text) {
        found(text);
        return;
      }
    }
    window.requestAnimationFrame(scanFrame);
  }

  cameraButton.addEventListener("click", function () {
    if (stream) {
      stopCamera();
      say("");
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("Kamera tidak tersedia di peramban ini (perlu HTTPS). Pilih foto kode QR atau tempel isinya.");
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      video.play();
      say("Arahkan kamera ke kode QR pada Suket.");
      window.requestAnimationFrame(scanFrame);
    }).catch(function () {
      say("Kamera tidak dapat dibuka. Pilih foto kode QR atau tempel isinya.");
    });
  });

  photoInput.addEventListener("change", function () {
    var file = photoInput.files && photoInput.files[0];
    if (!file) {
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var image = new Image();
      image.onload = function () {
        var text = read(image, image.naturalWidth, image.naturalHeight);
        if (text) {
          found(text);
        } else {
          say("Tidak ada kode QR yang terbaca pada foto ini. Coba foto yang lebih tajam dan tegak lurus.");
        }
      };
      image.onerror = function () {
        say("Berkas ini bukan gambar yang dapat dibuka.");
      };
      image.src = reader.result;   // a data: URL (the page's policy allows data: images, not blob:)
    };
    reader.readAsDataURL(file);
  });

  cameraButton.hidden = false;
  photoButton.hidden = false;
})();
